import {
  decideImport,
  DomainError,
  type ImportCommitResult,
  importCommandFromPlan,
  type ImportIssue,
  type ImportProgress,
  type ImportRow,
  type ImportSessionView,
  inferColumn,
  invalid,
  LIMITS,
  linkSampleItems,
  type LinkDirectory,
  notFound,
  type PlanSummary,
  planIsCommittable,
  refuseNul,
  suggestLinkTable,
  surveyColumns,
  type TableState,
} from '@crm/domain';
import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import { type Core } from '../../core';
import { newId } from '../../infrastructure/clock';
import { withDeferredCheckpoint } from '../../infrastructure/database/deferred-checkpoint';
import { type Actor } from '../../infrastructure/request-context/actor';
import { type CsvDelimiter } from './csv/sniff-delimiter';
import type { ColumnMapping } from '@crm/contracts';
import { type CsvEncoding, decodeCsvBytes } from './csv/decode-text';
import { readCsv } from './csv/read-csv';
import {
  applyMappingPatch,
  checkMapping,
  type ColumnChoice,
  type ColumnInfo,
  DEFAULT_IMPORT_OPTIONS,
  defaultMapping,
  type ImportOptions,
} from './import-mapping';
import { type PlanOutcome, planAgainstCore } from './import-planner';
import { type ImportSessionRow, type ImportsRepository } from './imports.repository';
import { importView, summarize } from './import-view';

export interface StartImport {
  file_name: string;
  bytes: Uint8Array;
  table_id?: string;
  new_table_name?: string;
  merge_fields?: string[];
  encoding?: CsvEncoding;
  delimiter?: CsvDelimiter;
}

export interface PatchImport {
  mapping?: Record<string, ColumnMapping>;
  merge_fields?: string[];
  options?: Partial<ImportOptions>;
}

interface Cached {
  rows: ImportRow[];
  outcome: PlanOutcome | null;
}

const KEEP_DAYS = 7;
const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);
/** Values per column that the type guess looks at; the plan then checks every value. */
const INFER_SAMPLE = 5_000;
/** Primary field types whose value is the text an Airtable export names a linked record by. */
const TEXT_PRIMARY = new Set(['text', 'long_text', 'email', 'url', 'phone', 'single_select']);

/**
 * Import sessions: upload and parse a file, infer its columns, map and plan, then commit the plan as
 * one batch of events (source `import`, one correlation id, provenance on every record). The parsed
 * rows and the last plan of the few most recent sessions stay in memory, so committing right after
 * reviewing does not plan twice.
 */
export class ImportSessions {
  private readonly cache = new Map<string, Cached>();
  private readonly progress = new Map<string, ImportProgress>();
  private readonly failures = new Map<
    string,
    { statusCode: number; message: string; details?: unknown }
  >();

  constructor(
    private readonly core: Core,
    private readonly repo: ImportsRepository,
  ) {}

  async start(input: StartImport, actor: Actor): Promise<ImportSessionView> {
    if ((input.table_id === undefined) === (input.new_table_name === undefined)) {
      throw invalid('give either table_id (an existing table) or new_table_name', {
        field: 'table_id',
      });
    }
    const existing =
      input.table_id !== undefined ? this.core.repo.table(input.table_id) : undefined;
    if (input.table_id !== undefined && !existing)
      throw notFound(`table ${input.table_id} does not exist`, {
        field: 'table_id',
        given: input.table_id,
      });
    if (input.new_table_name !== undefined) {
      const name = input.new_table_name.trim();
      if (name === '' || name.length > LIMITS.nameChars)
        throw invalid(`new_table_name must be 1 to ${LIMITS.nameChars} characters`, {
          field: 'new_table_name',
        });
      refuseNul(name, { field: 'new_table_name' }, 'new_table_name');
      if (this.core.repo.tables().some((t) => t.name.toLowerCase() === name.toLowerCase()))
        throw invalid(`a table named "${name}" already exists`, { field: 'new_table_name' });
    }
    const id = newId('imp');
    this.setProgress(id, { phase: 'reading', done: 0, total: input.bytes.length });
    // The file is kept gzipped (a seventh of the size), compressed in the thread pool while it is read and planned here.
    const packed = gzipAsync(input.bytes, { level: 1 }).catch(() => null);
    try {
      const { text, encoding } = decodeCsvBytes(input.bytes, input.encoding);
      const csv = await readCsv(text, {
        delimiter: input.delimiter,
        onProgress: (rows) => this.setProgress(id, { phase: 'reading', done: rows, total: null }),
      });
      this.setProgress(id, { phase: 'planning', done: 0, total: csv.rows.length });
      // Yield once more: the planning below runs in one go.
      await new Promise<void>((r) => setImmediate(r));
      const lines = csv.rows.map((r) => r.line);
      const { values, surveys } = surveyColumns(csv.rows, csv.header.length);
      // Types are guessed from the first values, then checked on all of them by the plan below.
      const columns: ColumnInfo[] = csv.header.map((name, index) => ({
        name,
        index,
        ...inferColumn(name, values[index], lines, {
          sample: INFER_SAMPLE,
          survey: surveys[index],
        }),
      }));
      if (csv.notes.length)
        columns.forEach((c) => c.notes.push(...csv.notes.filter((n) => n.includes(`“${c.name}”`))));
      this.suggestLinks(columns, existing ?? null);
      let choices = defaultMapping(columns, existing ?? null, () => newId('fld'));
      const merge_fields = this.checkMergeFields(input.merge_fields ?? [], csv.header);
      const now = this.core.clock.now();
      const session: ImportSessionRow = {
        id,
        status: 'planned',
        file_name: input.file_name,
        file_bytes: input.bytes.length,
        encoding,
        delimiter: csv.delimiter,
        table_id: existing?.id ?? newId('tbl'),
        new_table_name: input.new_table_name?.trim() ?? null,
        new_view_id: existing ? null : newId('viw'),
        header: csv.header,
        row_count: csv.rows.length,
        columns,
        mapping: choices,
        merge_fields,
        options: { ...DEFAULT_IMPORT_OPTIONS },
        plan: null,
        plan_fingerprint: null,
        base_version: null,
        result: null,
        correlation_id: null,
        created_at: now,
        created_by: actor.id,
        updated_at: now,
      };
      let outcome = this.planFor(session, csv.rows, true);
      // A guessed type that some later value does not fit: guess again from every value, and plan again.
      const misfits = new Set(
        outcome.plan.errors
          .filter((e) => e.line !== null && e.column !== null)
          .map((e) => e.column!),
      );
      const redo = choices.filter(
        (c) =>
          c.action === 'new' &&
          misfits.has(c.column) &&
          columns.find((x) => x.name === c.column)!.inferred_type === c.new_field!.type,
      );
      if (redo.length) {
        for (const c of redo) {
          const info = columns.find((x) => x.name === c.column)!;
          Object.assign(info, inferColumn(info.name, values[info.index], lines));
          const fresh = defaultMapping([info], existing ?? null, () => c.field_id!)[0];
          choices = choices.map((x) =>
            x.column === c.column ? { ...fresh, field_id: c.field_id } : x,
          );
        }
        session.mapping = choices;
        outcome = this.planFor(session, csv.rows, true);
      }
      const gzipped = await packed;
      await this.core.uow.write(() => {
        this.repo.prune(new Date(Date.parse(now) - KEEP_DAYS * 86_400_000).toISOString());
        this.repo.insert(
          {
            ...session,
            plan: this.summaryOf(outcome, session.options as ImportOptions),
            plan_fingerprint: outcome.fingerprint,
            base_version: outcome.base_version,
          },
          gzipped ?? input.bytes,
          gzipped !== null,
        );
      });
      this.remember(id, { rows: csv.rows, outcome });
      this.setProgress(id, { phase: 'planned', done: csv.rows.length, total: csv.rows.length });
      return this.view(this.repo.get(id)!, outcome);
    } catch (e) {
      this.progress.delete(id);
      throw e;
    }
  }

  targets() {
    return this.core.repo.tables().map((t) => ({
      id: t.id,
      name: t.name,
      role: t.role,
      primary_field_id: t.primary_field_id,
      fields: t.fields.map((f) => ({ id: f.id, name: f.name, type: f.type, options: f.options })),
    }));
  }

  get(id: string, actor: Actor): ImportSessionView {
    const session = this.load(id, actor);
    const cached = this.cache.get(id)?.outcome ?? null;
    return this.view(session, cached);
  }

  async patch(id: string, body: PatchImport, actor: Actor): Promise<ImportSessionView> {
    const session = this.load(id, actor);
    if (session.status !== 'planned')
      throw new DomainError(
        'illegal_state',
        'this import is committed; start a new one to import again',
        { field: 'id' },
      );
    const table = this.tableOf(session);
    const tableExists = (tid: string) => !!this.core.repo.table(tid) || tid === session.table_id;
    let choices = session.mapping as ColumnChoice[];
    if (body.mapping !== undefined) {
      if (body.mapping === null || typeof body.mapping !== 'object' || Array.isArray(body.mapping))
        throw invalid('mapping must be an object of column name → choice', { field: 'mapping' });
      choices = applyMappingPatch(choices, body.mapping, table, tableExists, () => newId('fld'));
    } else checkMapping(choices, table);
    const merge_fields =
      body.merge_fields !== undefined
        ? this.checkMergeFields(body.merge_fields, session.header)
        : session.merge_fields;
    const options = { ...(session.options as ImportOptions), ...this.checkOptions(body.options) };
    const next: ImportSessionRow = { ...session, mapping: choices, merge_fields, options };
    const rows = await this.rowsOf(session);
    const outcome = this.planFor(next, rows, merge_fields.length === 0);
    await this.core.uow.write(() =>
      this.repo.savePlan(id, {
        mapping: choices,
        merge_fields,
        options,
        plan: this.summaryOf(outcome, options),
        fingerprint: outcome.fingerprint,
        base_version: outcome.base_version,
        at: this.core.clock.now(),
      }),
    );
    this.remember(id, { rows, outcome });
    return this.view(this.repo.get(id)!, outcome);
  }

  /**
   * Applies the plan as one batch, all or nothing. When the log moved since the plan was made, the
   * plan is made again; if it differs from the one reviewed, nothing is written and the new plan
   * comes back with 409.
   */
  async commit(id: string, actor: Actor): Promise<ImportCommitResult> {
    const session = this.load(id, actor);
    if (session.status === 'committed') return session.result as ImportCommitResult;
    const options = session.options as ImportOptions;
    const rows = await this.rowsOf(session);
    this.setProgress(id, { phase: 'checking', done: 0, total: rows.length });
    this.failures.delete(id);
    try {
      let outcome = this.cache.get(id)?.outcome ?? null;
      if (!outcome || outcome.base_version !== this.core.store.lastPosition()) {
        outcome = this.planFor(session, rows, false);
        this.remember(id, { rows, outcome });
        if (outcome.fingerprint !== session.plan_fingerprint) {
          await this.core.uow.write(() =>
            this.repo.savePlan(id, {
              mapping: session.mapping,
              merge_fields: session.merge_fields,
              options,
              plan: this.summaryOf(outcome!, options),
              fingerprint: outcome!.fingerprint,
              base_version: outcome!.base_version,
              at: this.core.clock.now(),
            }),
          );
          throw new DomainError(
            'conflict',
            'the table changed since this plan was made: review the new plan and commit again',
            { plan: this.summaryOf(outcome, options) },
            'stale_plan',
          );
        }
      }
      const plan = outcome.plan;
      if (!planIsCommittable(plan, options)) {
        const blocking = plan.errors.filter((e) => e.line === null).length;
        throw invalid(
          blocking
            ? `the mapping has ${blocking} problem(s) to fix before the import can be committed`
            : `${plan.rows_with_errors} row(s) have errors: fix them, or choose to skip rows with errors`,
          { errors: plan.errors.slice(0, 20), errors_total: plan.errors.length },
        );
      }
      const correlation_id = newId('cor');
      const cmd = importCommandFromPlan(plan, {
        import_id: id,
        file_name: session.file_name,
        table_id: session.table_id,
        new_table: session.new_table_name
          ? { name: session.new_table_name, view_id: session.new_view_id! }
          : null,
        new_fields: outcome.added.map((f) => ({
          id: f.id,
          name: f.name,
          type: f.type,
          options: f.options,
        })),
        newRecordId: () => newId('rec'),
      });
      this.setProgress(id, {
        phase: 'writing',
        done: 0,
        total: cmd.creates.length + cmd.updates.length + cmd.link_creates.length,
      });
      // Tens of megabytes in one commit: the WAL checkpoint follows after the answer, not inside it.
      // Another process's write lock is waited for asynchronously (then without the deferral: rare).
      const result = await withDeferredCheckpoint(this.core.db, () =>
        this.core.uow.write(() => {
          if (this.core.store.lastPosition() !== outcome!.base_version)
            throw new DomainError(
              'conflict',
              'the table changed while the import was being prepared; try again',
              {},
              'stale_plan',
            );
          let created = 0;
          let updated = 0;
          const { version } = this.core.commands.execute(
            { actor, source: 'import', correlation_id },
            (ctx) => {
              const d = decideImport(cmd, ctx);
              created = d.created;
              updated = d.updated;
              return d;
            },
          );
          const r: ImportCommitResult = {
            import_id: id,
            created,
            updated,
            unchanged: plan.unchanged,
            skipped_rows: plan.rows_with_errors,
            version,
            correlation_id,
          };
          if (!this.repo.markCommitted(id, r, correlation_id, this.core.clock.now()))
            throw new DomainError('conflict', 'this import was committed meanwhile', {});
          return r;
        }),
      );
      this.cache.delete(id);
      this.setProgress(id, {
        phase: 'committed',
        done: result.created + result.updated,
        total: result.created + result.updated,
      });
      return result;
    } catch (e) {
      this.setProgress(id, { phase: 'failed', done: 0, total: null });
      throw e;
    } finally {
      // A new table or field changes the cached schema of the grid.
      this.core.repo.invalidateSchema();
    }
  }

  /** For an asynchronous commit: what happened, once it is over. */
  recordFailure(
    id: string,
    failure: { statusCode: number; message: string; details?: unknown },
  ): void {
    this.failures.set(id, failure);
    trim(this.failures, 100);
  }

  /** Every error of the plan (not only the first thousand), for the CSV download. */
  async errorsOf(id: string, actor: Actor): Promise<ImportIssue[]> {
    const session = this.load(id, actor);
    const cached = this.cache.get(id)?.outcome;
    if (cached) return cached.plan.errors;
    if (session.status === 'committed') return [];
    return this.planFor(session, await this.rowsOf(session), false).plan.errors;
  }

  /**
   * List columns (a guessed multiple select) not going into a field of the same name, whose sampled
   * items all name records of one other table, link to it by default: the way Airtable exports
   * linked records. The sampled names are looked up in SQLite, exactly as written, among primary
   * fields that hold text: reading every record of every table here took seconds on a big base.
   */
  private suggestLinks(columns: ColumnInfo[], table: TableState | null): void {
    const lists = columns.filter(
      (c) =>
        c.inferred_type === 'multiple_select' &&
        !table?.fields.some((f) => f.name.trim().toLowerCase() === c.name.trim().toLowerCase()),
    );
    if (lists.length === 0) return;
    const named = this.core.repo
      .tables()
      .filter(
        (t) =>
          t.id !== table?.id &&
          TEXT_PRIMARY.has(t.fields.find((f) => f.id === t.primary_field_id)?.type ?? ''),
      );
    for (const c of lists) {
      const items = linkSampleItems(c.samples);
      if (items.length < 2) continue;
      const directories = named.map((t): LinkDirectory => {
        const found = this.core.repo.namesIn(t.id, t.primary_field_id, items);
        return {
          table_id: t.id,
          table_name: t.name,
          find: (name) => (found.has(name.trim()) ? [name] : []),
          has: () => false,
        };
      });
      const target = suggestLinkTable(c.samples, directories);
      if (!target) continue;
      c.link_to = { table_id: target.table_id, table_name: target.table_name };
      c.notes.push(`the names are records of “${target.table_name}”: imported as links to them`);
    }
  }

  private planFor(session: ImportSessionRow, rows: ImportRow[], suggest: boolean): PlanOutcome {
    return planAgainstCore(this.core, {
      table_id: session.table_id,
      new_table_name: session.new_table_name,
      columns: session.columns as ColumnInfo[],
      choices: session.mapping as ColumnChoice[],
      merge_fields: session.merge_fields,
      options: session.options as ImportOptions,
      header_count: session.header.length,
      rows,
      suggest,
    });
  }

  /** The stored plan keeps what the review shows; the full lists are made again from the rows. */
  private summaryOf(o: PlanOutcome, options: ImportOptions): PlanSummary {
    return summarize(o, planIsCommittable(o.plan, options));
  }

  private view(session: ImportSessionRow, outcome: PlanOutcome | null): ImportSessionView {
    return importView(
      this.core,
      session,
      outcome,
      this.progress.get(session.id) ?? null,
      this.failures.get(session.id) ?? null,
    );
  }

  private load(id: string, actor: Actor): ImportSessionRow {
    const session = typeof id === 'string' ? this.repo.get(id) : undefined;
    // Someone else's import is not found rather than forbidden: its existence is not theirs to know.
    if (!session || (session.created_by !== actor.id && actor.role !== 'admin'))
      throw notFound(`import ${id} does not exist`, { field: 'id' });
    return session;
  }

  /** The rows, from memory or else read again from the stored file (after a restart). */
  private async rowsOf(session: ImportSessionRow): Promise<ImportRow[]> {
    const cached = this.cache.get(session.id);
    if (cached) return cached.rows;
    const file = this.repo.file(session.id);
    if (!file)
      throw new DomainError(
        'illegal_state',
        'this import has no rows left to plan (it was committed)',
        { field: 'id' },
      );
    const { text } = decodeCsvBytes(
      file.gzip ? await gunzipAsync(file.bytes) : file.bytes,
      session.encoding as CsvEncoding,
    );
    const { rows } = await readCsv(text, { delimiter: session.delimiter as CsvDelimiter });
    this.remember(session.id, { rows, outcome: null });
    return rows;
  }

  private tableOf(session: ImportSessionRow) {
    if (session.new_table_name !== null) return null;
    const t = this.core.repo.table(session.table_id);
    if (!t) throw notFound(`table ${session.table_id} no longer exists`, { field: 'table_id' });
    return t;
  }

  private setProgress(id: string, p: ImportProgress): void {
    this.progress.delete(id);
    this.progress.set(id, p);
    trim(this.progress, 100);
  }

  private remember(id: string, c: Cached): void {
    this.cache.delete(id);
    this.cache.set(id, c);
    while (this.cache.size > 3) this.cache.delete(this.cache.keys().next().value!);
  }

  private checkMergeFields(given: unknown, header: string[]): string[] {
    if (!Array.isArray(given) || given.some((x) => typeof x !== 'string'))
      throw invalid('merge_fields must be a list of column names', { field: 'merge_fields' });
    if (given.length > 5)
      throw invalid('merge_fields: at most 5 columns', { field: 'merge_fields' });
    for (const name of given)
      if (!header.includes(name))
        throw invalid(`merge_fields: the file has no column “${name}”`, {
          field: 'merge_fields',
          given: name,
        });
    if (new Set(given).size !== given.length)
      throw invalid('merge_fields lists a column twice', { field: 'merge_fields' });
    return given as string[];
  }

  private checkOptions(raw: unknown): Partial<ImportOptions> {
    if (raw === undefined) return {};
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
      throw invalid('options must be an object', { field: 'options' });
    const o = raw as Record<string, unknown>;
    const out: Partial<ImportOptions> = {};
    for (const [k, v] of Object.entries(o)) {
      if (k === 'create_missing_links' || k === 'skip_rows_with_errors') {
        if (typeof v !== 'boolean')
          throw invalid(`options.${k} must be true or false`, { field: `options.${k}` });
        out[k] = v;
      } else if (k === 'formula_guard') {
        if (v !== 'auto' && v !== 'strip' && v !== 'keep')
          throw invalid('options.formula_guard must be auto, strip or keep', {
            field: 'options.formula_guard',
          });
        out.formula_guard = v;
      } else throw invalid(`options.${k} is not an option`, { field: `options.${k}` });
    }
    return out;
  }
}

/** Keeps a map to its newest entries (insertion order): progress and failures of old sessions go. */
function trim<K, V>(map: Map<K, V>, max: number): void {
  while (map.size > max) map.delete(map.keys().next().value as K);
}

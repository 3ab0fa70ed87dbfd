import {
  DomainError,
  type ImportIssue,
  type ImportProgress,
  type ImportRow,
  type PlanSummary,
  planIsCommittable,
  sliceImport,
  type TableState,
} from '@crm/domain';
import { type FieldDefinition } from '@crm/events';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { type Actor } from '../../infrastructure/request-context/actor';
import type { BaseAccess } from './base-access';
import { decodeCsvBytes } from './csv/decode-text';
import { readCsv } from './csv/read-csv';
import { guessColumns, guessMisfitsAgain, suggestLinks } from './import-columns';
import { importCommandOf } from './import-commit';
import { type ColumnChoice, type ColumnInfo, type ImportOptions } from './import-mapping';
import { type PlanOutcome, planAgainstBase } from './import-planner';
import { keepNewest, newSessionRow } from './import-session-row';
import { type StartImport } from './import-sessions.service';
import { type PlanReads, planMovedSince } from './import-staleness';
import { summarize } from './import-view';
import { type ImportSessionRow, type ImportsRepository } from './imports.repository';
import { readStoredRows } from './stored-file';

/**
 * Records per slice of a commit: measured (bench/background.bench.js) so that a slice's
 * transaction, with its projections, stays well under the pause an edit may wait behind it.
 */
export const SLICE_RECORDS = 200;

const gzipAsync = promisify(gzip);

/** What the server keeps of a plan: what the review shows, and what a commit checks it by. */
export interface PlanDigest {
  summary: PlanSummary;
  fingerprint: string;
  /** The log position the plan was made at, and the tables it read (see planMovedSince). */
  base_version: number;
  reads: PlanReads;
  /** The fields the import adds (their names show in the review). */
  added: FieldDefinition[];
}

/** A plan ready to commit: its command cut into `slices`, handed over as JSON a few at a time. */
export interface PreparedCommit extends PlanDigest {
  slices: number;
  /** Records the command writes, for the progress. */
  records: number;
  /** Errors of the mapping (not of a row): any one of them keeps the plan from being committed. */
  blocking: number;
}

/** A session as planning needs it (its stored plan and result stay behind). */
export type PlanSession = Omit<ImportSessionRow, 'plan' | 'result'>;

export interface StartPlanning {
  id: string;
  input: StartImport;
  existing: TableState | null;
  actor: Actor;
  now: string;
}

/** A new session, its first plan, and the file as it is kept (gzipped, a seventh of the size). */
export interface StartAnswer {
  session: ImportSessionRow;
  digest: PlanDigest;
  stored: { bytes: Uint8Array; gzipped: boolean };
}

export type PlanningRequest =
  | ({ op: 'start' } & StartPlanning)
  | { op: 'plan'; session: PlanSession; suggest: boolean }
  | { op: 'prepare'; session: PlanSession }
  | { op: 'slices'; id: string; from: number; to: number }
  | { op: 'errors'; session: PlanSession }
  | { op: 'forget'; id: string };

/** What planning keeps of a session between requests: its rows, its latest plan, a command to hand over. */
interface Kept {
  rows: ImportRow[];
  plan: { key: string; suggested: boolean; outcome: PlanOutcome } | null;
  slices: string[] | null;
}

/**
 * An import's heavy work: the file parsed, its columns guessed, the plan made against the base and
 * the command cut into slices. It runs in a worker thread on a read-only connection of its own (see
 * import-planning.worker.ts), so the server answers meanwhile; the server receives only the
 * review's summary, and the command's slices as JSON, a few at a time. The rows and latest plan of
 * the few most recent sessions stay here, so a commit right after the review does not plan twice.
 */
export class ImportPlanning {
  private readonly kept = new Map<string, Kept>();

  constructor(
    private readonly base: BaseAccess,
    private readonly files: ImportsRepository,
  ) {}

  handle(r: PlanningRequest, progress: (p: ImportProgress) => void): Promise<unknown> | unknown {
    // The schema may have changed since the last request (the cache is the server's to invalidate).
    this.base.repo.invalidateSchema();
    switch (r.op) {
      case 'start':
        return this.start(r, progress);
      case 'plan':
        return this.plan(r.session, r.suggest);
      case 'prepare':
        return this.prepare(r.session);
      case 'slices':
        return this.slices(r.id, r.from, r.to);
      case 'errors':
        return this.errors(r.session);
      case 'forget':
        return void this.kept.delete(r.id);
    }
  }

  /** Parses the upload, guesses its columns and makes the first plan: the new session and its plan. */
  async start(r: StartPlanning, progress: (p: ImportProgress) => void): Promise<StartAnswer> {
    const { input, existing } = r;
    // Compressed in the thread pool while the file is read and planned; kept as sent should that fail.
    const packed = gzipAsync(input.bytes, { level: 1 }).then(
      (bytes) => ({ bytes, gzipped: true }),
      () => ({ bytes: input.bytes, gzipped: false }),
    );
    const { text, encoding } = decodeCsvBytes(input.bytes, input.encoding);
    const csv = await readCsv(text, {
      delimiter: input.delimiter,
      onProgress: (rows) => progress({ phase: 'reading', done: rows, total: null }),
    });
    progress({ phase: 'planning', done: 0, total: csv.rows.length });
    const guess = guessColumns(csv);
    suggestLinks(this.base.repo, guess.columns, existing);
    const session = newSessionRow({ ...r, csv, encoding, columns: guess.columns });
    let outcome = planAgainstBase(this.base, requestOf(session, csv.rows, true));
    const again = guessMisfitsAgain(outcome, session.mapping as ColumnChoice[], guess, existing);
    if (again) {
      session.mapping = again;
      outcome = planAgainstBase(this.base, requestOf(session, csv.rows, true));
    }
    this.keep(session.id, {
      rows: csv.rows,
      plan: { key: keyOf(session), suggested: true, outcome },
      slices: null,
    });
    const digest = digestOf(outcome, session.options as ImportOptions);
    return { session, digest, stored: await packed };
  }

  /** The plan of the session's choices: the one kept while what it read has not moved, else made again. */
  async plan(session: PlanSession, suggest: boolean): Promise<PlanDigest> {
    const outcome = await this.current(session, suggest);
    return digestOf(outcome, session.options as ImportOptions);
  }

  /**
   * The current plan, and when it is the one reviewed (same fingerprint) and committable, its
   * command cut into slices, kept here until handed over (`slices: 0` otherwise).
   */
  async prepare(session: PlanSession): Promise<PreparedCommit> {
    const outcome = await this.current(session, false);
    const options = session.options as ImportOptions;
    const digest = digestOf(outcome, options);
    const kept = this.kept.get(session.id)!;
    kept.slices = null;
    const blocking = outcome.plan.errors.filter((e) => e.line === null).length;
    if (outcome.fingerprint !== session.plan_fingerprint || !digest.summary.committable)
      return { ...digest, slices: 0, records: 0, blocking };
    const cmd = importCommandOf(session, outcome);
    kept.slices = sliceImport(cmd, SLICE_RECORDS).map((s) => JSON.stringify(s));
    const records = cmd.creates.length + cmd.updates.length + cmd.link_creates.length;
    return { ...digest, slices: kept.slices.length, records, blocking };
  }

  /** The prepared command's slices [from, to) as JSON; the last hand-over lets them go. */
  slices(id: string, from: number, to: number): string[] {
    const kept = this.kept.get(id);
    if (!kept?.slices)
      throw new DomainError('illegal_state', `import ${id} has no command prepared`, {});
    const out = kept.slices.slice(from, to);
    if (to >= kept.slices.length) kept.slices = null;
    return out;
  }

  /** Every error of the plan (not only the first thousand), for the CSV download. */
  async errors(session: PlanSession): Promise<ImportIssue[]> {
    const kept = this.kept.get(session.id)?.plan;
    if (kept?.key === keyOf(session)) return kept.outcome.plan.errors;
    return (await this.current(session, false)).plan.errors;
  }

  private async current(session: PlanSession, suggest: boolean): Promise<PlanOutcome> {
    const rows = await this.rowsOf(session);
    const kept = this.kept.get(session.id)!;
    const held = kept.plan;
    if (
      held?.key === keyOf(session) &&
      (held.suggested || !suggest) &&
      !planMovedSince(this.base, held.outcome.base_version, held.outcome.reads)
    )
      return held.outcome;
    const outcome = planAgainstBase(this.base, requestOf(session, rows, suggest));
    kept.plan = { key: keyOf(session), suggested: suggest, outcome };
    return outcome;
  }

  /** The rows, kept or else read again from the stored file (after a restart). */
  private async rowsOf(session: PlanSession): Promise<ImportRow[]> {
    const kept = this.kept.get(session.id);
    if (kept) return kept.rows;
    const file = this.files.file(session.id);
    if (!file)
      throw new DomainError(
        'illegal_state',
        'this import has no rows left to plan (it was committed)',
        { field: 'id' },
      );
    const rows = await readStoredRows(file, session);
    this.keep(session.id, { rows, plan: null, slices: null });
    return rows;
  }

  private keep(id: string, k: Kept): void {
    keepNewest(this.kept, id, k, 3);
  }
}

/** What a plan is made of besides the rows and the base: the session's choices. */
const keyOf = (s: PlanSession) =>
  JSON.stringify([s.table_id, s.new_table_name, s.mapping, s.merge_fields, s.options]);

const requestOf = (session: PlanSession, rows: ImportRow[], suggest: boolean) => ({
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

/** The stored plan keeps what the review shows; the full lists are made again from the rows. */
const digestOf = (o: PlanOutcome, options: ImportOptions): PlanDigest => ({
  summary: summarize(o, planIsCommittable(o.plan, options)),
  fingerprint: o.fingerprint,
  base_version: o.base_version,
  reads: o.reads,
  added: o.added,
});

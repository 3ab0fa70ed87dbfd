import {
  inferColumn,
  linkSampleItems,
  type LinkDirectory,
  suggestLinkTable,
  surveyColumns,
  type TableState,
} from '@crm/domain';
import type { BaseAccess } from './base-access';
import { type ParsedCsv } from './csv/read-csv';
import { type ColumnChoice, type ColumnInfo, defaultMapping } from './import-mapping';
import { type PlanOutcome } from './import-planner';

/** Values per column that the type guess looks at; the plan then checks every value. */
const INFER_SAMPLE = 5_000;
/** Primary field types whose value is the text an Airtable export names a linked record by. */
const TEXT_PRIMARY = new Set(['text', 'long_text', 'email', 'url', 'phone', 'single_select']);

/** The file's columns with their guessed types, and the values they were guessed from. */
export interface ColumnGuess {
  columns: ColumnInfo[];
  values: ReturnType<typeof surveyColumns>['values'];
  lines: number[];
}

/** Types are guessed from the first values, then checked on all of them by the plan. */
export function guessColumns(csv: ParsedCsv): ColumnGuess {
  const lines = csv.rows.map((r) => r.line);
  const { values, surveys } = surveyColumns(csv.rows, csv.header.length);
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
  return { columns, values, lines };
}

/**
 * A guessed type that some later value does not fit: guess again from every value. Returns the
 * mapping with those columns guessed again, or null when every guess held.
 */
export function guessMisfitsAgain(
  outcome: PlanOutcome,
  choices: ColumnChoice[],
  guess: ColumnGuess,
  table: TableState | null,
): ColumnChoice[] | null {
  const { columns, values, lines } = guess;
  const misfits = new Set(
    outcome.plan.errors.filter((e) => e.line !== null && e.column !== null).map((e) => e.column!),
  );
  const redo = choices.filter(
    (c) =>
      c.action === 'new' &&
      misfits.has(c.column) &&
      columns.find((x) => x.name === c.column)!.inferred_type === c.new_field!.type,
  );
  if (redo.length === 0) return null;
  for (const c of redo) {
    const info = columns.find((x) => x.name === c.column)!;
    Object.assign(info, inferColumn(info.name, values[info.index], lines));
    const fresh = defaultMapping([info], table, () => c.field_id!)[0];
    choices = choices.map((x) => (x.column === c.column ? { ...fresh, field_id: c.field_id } : x));
  }
  return choices;
}

/**
 * List columns (a guessed multiple select) not going into a field of the same name, whose sampled
 * items all name records of one other table, link to it by default: the way Airtable exports
 * linked records. The sampled names are looked up in SQLite, exactly as written, among primary
 * fields that hold text: reading every record of every table here took seconds on a big base.
 */
export function suggestLinks(
  repo: BaseAccess['repo'],
  columns: ColumnInfo[],
  table: TableState | null,
): void {
  const lists = columns.filter(
    (c) =>
      c.inferred_type === 'multiple_select' &&
      !table?.fields.some((f) => f.name.trim().toLowerCase() === c.name.trim().toLowerCase()),
  );
  if (lists.length === 0) return;
  const named = repo
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
      const found = repo.cells.namesIn(t.id, t.primary_field_id, items);
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

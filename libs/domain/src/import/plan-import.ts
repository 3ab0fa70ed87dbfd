import {
  type ImportIssue,
  type ImportPlan,
  type PlanImportInput,
  type PlanOptions,
} from './plan-import.types';
import { checkMapping } from './plan/check-mapping.step';
import { growChoices } from './plan/grow-choices.step';
import { matchRows } from './plan/match-rows.step';
import { MissingLinks } from './plan/missing-links';
import { planRecords } from './plan/plan-records.step';
import { readCells } from './plan/read-cells.step';
import { settleSelfLinks } from './plan/settle-self-links.step';
import { settleValues } from './plan/settle-values.step';

export * from './plan-import.types';

/**
 * Given the rows of a file, how its columns map to fields, the merge key and the table's records:
 * which records the import creates, which it changes (cell by cell, with the value it replaces) and
 * which it leaves as they are. Pure and deterministic, so the plan a person reviewed is the plan the
 * commit applies. Importing a file twice plans nothing the second time.
 *
 * The steps (in `plan/`) run in order over the same rows. Each row's work is a function of its own
 * so that it is optimised during the first file (the first-import row of bench/import.bench.js).
 */
export function planImport(input: PlanImportInput): ImportPlan {
  // Read once: the records may come from a one-pass iterator.
  const tableRecords = [...input.records].filter((rec) => !rec.archived);
  const mapping = checkMapping(input);
  if (mapping.errors.length) return emptyPlan(mapping.errors);
  const { mapped, keyCols } = mapping;
  const read = readCells(input, mapped, mapping.unread);
  const { rows } = read;
  const grown = growChoices(mapped, read.growth);
  rows.errors.push(...grown.errors);
  const missing = new MissingLinks(rows);
  const selfLinks = settleValues(rows, grown.fields, missing);
  const matched = matchRows(rows, grown.fields, keyCols, tableRecords);
  settleSelfLinks(rows, grown.fields, selfLinks, matched.rowRecord, missing);
  const planned = planRecords(rows, grown.fields, matched.rowRecord, tableRecords);
  const errors = rows.errors.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  return {
    creates: planned.creates,
    updates: planned.updates,
    unchanged: planned.unchanged,
    blank_rows: read.blankRows,
    rows_with_errors: planned.rows_with_errors,
    errors,
    warnings: [...read.warnings, ...matched.warnings],
    new_choices: grown.new_choices,
    unmatched_links: missing.unmatchedLinks(),
    link_creates: missing.link_creates,
  };
}

function emptyPlan(errors: ImportIssue[]): ImportPlan {
  return {
    creates: [],
    updates: [],
    unchanged: 0,
    blank_rows: 0,
    rows_with_errors: 0,
    errors,
    warnings: [],
    new_choices: [],
    unmatched_links: [],
    link_creates: [],
  };
}

/** True when the plan may be committed: no errors, or only row errors that the options leave out. */
export function planIsCommittable(
  plan: ImportPlan,
  options: Pick<PlanOptions, 'skip_rows_with_errors'>,
): boolean {
  if (plan.errors.some((e) => e.line === null)) return false;
  return options.skip_rows_with_errors || plan.errors.length === 0;
}

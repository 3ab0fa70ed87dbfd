import { type CellValue, streams } from '@crm/events';
import { type DecisionBuilder } from '../../base/decide-context';
import { requireTable } from '../../table/table.lookup';
import { isEmptyValue, normalizeCell } from '../../values/normalize';
import { type CommitImport } from '../decide-import';
import { type ImportValues } from './import-values';
import { type ImportTables } from './import-schema.step';

/**
 * Step 2 of decideImport: the records of linked tables named in the file that matched none, each
 * with its name in the primary field. Fresh ids: expected version 0 makes the store refuse one
 * that is somehow taken.
 */
export function decideLinkCreates(
  cmd: CommitImport,
  tables: ImportTables,
  values: ImportValues,
  b: DecisionBuilder,
): void {
  for (const lc of cmd.link_creates) {
    const target = requireTable(tables, lc.table_id);
    const primary = target.fields.find((f) => f.id === target.primary_field_id)!;
    b.emitNew(streams.record(lc.record_id), {
      type: 'RecordCreated',
      data: {
        table_id: target.id,
        record_id: lc.record_id,
        values: { [primary.id]: normalizeCell(primary, lc.name) },
        provenance: values.provenance(lc.line),
      },
    });
  }
}

/** Step 3 of decideImport: a record per created row, with its non-empty values checked. */
export function decideCreates(cmd: CommitImport, values: ImportValues, b: DecisionBuilder): void {
  for (const c of cmd.creates) createRecord(c, values, b);
}

function createRecord(
  c: CommitImport['creates'][number],
  values: ImportValues,
  b: DecisionBuilder,
): void {
  const out: Record<string, CellValue> = {};
  for (const fieldId in c.values) {
    const field = values.fieldAt(fieldId, c.line);
    const value = values.valueAt(field, c.values[fieldId], c.line);
    values.checkLinks(field, value, c.line);
    if (!isEmptyValue(value) && value !== false) out[field.id] = value;
  }
  b.emitNew(streams.record(c.record_id), {
    type: 'RecordCreated',
    data: {
      table_id: values.table.id,
      record_id: c.record_id,
      values: out,
      provenance: values.provenance(c.line),
    },
  });
}

import {
  type ChangeOp,
  type DecideContext,
  linkedIdsNamedBy,
  linkedTableIdsOf,
  preloadedContext,
  type RecordState,
  recordIdsNamedBy,
  type TableState,
  tableIdsNamedBy,
} from '@crm/domain';

/** The reads a command's load step makes: by id, `undefined` for an id that is not there. */
export interface StateReader {
  records(ids: readonly string[]): Promise<ReadonlyMap<string, RecordState | undefined>>;
  tables(ids: readonly string[]): Promise<ReadonlyMap<string, TableState | undefined>>;
}

/**
 * Loads what a batch of grid changes names (see `changes-named.ts` in the domain), so that
 * `decideChanges` runs pure and synchronous over it; the reads may be a server database's.
 */
export async function loadForChanges(
  reader: StateReader,
  changes: readonly ChangeOp[],
): Promise<DecideContext> {
  let records = await reader.records(recordIdsNamedBy(changes));
  let tables = await reader.tables(tableIdsNamedBy(changes, records));
  const linkedTables = linkedTableIdsOf(tables);
  if (linkedTables.length > 0)
    tables = new Map([...tables, ...(await reader.tables(linkedTables))]);
  const linked = linkedIdsNamedBy(changes, tables, records).filter((id) => !records.has(id));
  if (linked.length > 0) records = new Map([...records, ...(await reader.records(linked))]);
  return preloadedContext({ records, tables });
}

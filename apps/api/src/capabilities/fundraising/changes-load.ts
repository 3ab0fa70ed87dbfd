import {
  type ChangeOp,
  type DecideContext,
  linkedIdsNamedBy,
  preloadedContext,
  type RecordState,
  recordIdsNamedBy,
  type TableState,
  tableIdsNamedBy,
  type TeamDirectory,
} from '@crm/domain';

/** The reads a command's load step makes: by id, `undefined` for an id that is not there. */
export interface StateReader {
  records(ids: readonly string[]): Promise<ReadonlyMap<string, RecordState | undefined>>;
  tables(ids: readonly string[]): Promise<ReadonlyMap<string, TableState | undefined>>;
  /** The team, read only when a change names a people field (a handful of accounts). */
  member?: TeamDirectory;
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
  const tables = await reader.tables(tableIdsNamedBy(changes, records));
  const linked = linkedIdsNamedBy(changes, tables, records).filter((id) => !records.has(id));
  if (linked.length > 0) records = new Map([...records, ...(await reader.records(linked))]);
  return preloadedContext({ records, tables, member: reader.member });
}

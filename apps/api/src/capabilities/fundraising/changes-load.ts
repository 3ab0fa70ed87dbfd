import {
  type ChangeOp,
  type DecideContext,
  type NotLoaded,
  linkedIdsNamedBy,
  linkedTableIdsOf,
  namesPeopleField,
  preloadedContext,
  type RecordState,
  recordIdsNamedBy,
  RECOMPUTE_SAMPLE_SIZE,
  type TableState,
  tableIdsNamedBy,
  type TeamMember,
  type ViewState,
} from '@crm/domain';

/** The reads a command's load step makes: by id, `undefined` for an id that is not there. */
export interface StateReader {
  records(ids: readonly string[]): Promise<ReadonlyMap<string, RecordState | undefined>>;
  tables(ids: readonly string[]): Promise<ReadonlyMap<string, TableState | undefined>>;
  /** The team (a handful of accounts): whom a people field may name. */
  team(): Promise<TeamMember[]>;
  /** Every table and view: the schema, small whatever the base's size. */
  schema(): Promise<{ tables: TableState[]; views: ViewState[] }>;
  /** Every record of a table, archived ones too. */
  recordsOf(tableId: string): Promise<RecordState[]>;
  /** A table's record count and an even sample of `size` of its records. */
  recordSample(tableId: string, size: number): Promise<{ count: number; sample: RecordState[] }>;
}

/**
 * What a schema, view, undo, restore or import command names beyond the schema, which every such
 * command is given whole: records by id, every record of some tables (or of all, `'all'`), and
 * samples of tables (a formula's cost estimate).
 */
export interface Named {
  records?: readonly string[];
  recordsOf?: readonly string[] | 'all';
  sampleOf?: readonly string[];
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
  const team = namesPeopleField(changes, tables, records) ? await reader.team() : undefined;
  return preloadedContext({ records, tables, team });
}

/** Loads the schema and what `named` names, for a decider that reads the base beyond one batch of cells. */
export async function loadNamed(reader: StateReader, named: Named): Promise<DecideContext> {
  const schema = await reader.schema();
  const whole = named.recordsOf === 'all' ? schema.tables.map((t) => t.id) : named.recordsOf;
  const recordsOf = new Map<string, RecordState[]>();
  for (const id of whole ?? []) recordsOf.set(id, await reader.recordsOf(id));
  const samples = new Map<string, { count: number; sample: RecordState[] }>();
  for (const id of named.sampleOf ?? [])
    samples.set(id, await reader.recordSample(id, RECOMPUTE_SAMPLE_SIZE));
  return preloadedContext({
    team: await reader.team(),
    records: await reader.records(named.records ?? []),
    tables: new Map(),
    schema: { tables: schema.tables, views: new Map(schema.views.map((v) => [v.id, v])) },
    recordsOf,
    // Without samples, a decider takes its sample from the records of the table, loaded whole.
    samples: samples.size > 0 ? samples : undefined,
  });
}

/** Rounds after which a decider that keeps reading what was not named is given every record. */
const ROUNDS_BEFORE_ALL = 3;

/**
 * What to load for the next round, after a decider read `need`, which its command had not named: it
 * is added, and from the `ROUNDS_BEFORE_ALL`th round on every record of the base is loaded too.
 */
export function widened(named: Named, need: NotLoaded, round: number): Named {
  const next: Named = round >= ROUNDS_BEFORE_ALL ? { ...named, recordsOf: 'all' } : { ...named };
  switch (need.kind) {
    case 'record':
      return { ...next, records: [...(next.records ?? []), need.id] };
    case 'records_of':
      return next.recordsOf === 'all'
        ? next
        : { ...next, recordsOf: [...(next.recordsOf ?? []), need.table_id] };
    case 'sample':
      return { ...next, sampleOf: [...(next.sampleOf ?? []), need.table_id] };
    case 'schema':
    case 'table':
      // The schema is always loaded whole: this cannot be missing.
      return next;
  }
}

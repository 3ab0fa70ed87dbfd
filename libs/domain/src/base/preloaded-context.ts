import { type RecordState } from '../record/record.state';
import { type TableState } from '../table/table.state';
import { type TeamMember } from '../values/user-value';
import { type ViewState } from '../view/view.state';
import { type DecideContext } from './decide-context';

/** What a command named, read before its decider ran: by id, `undefined` when looked up and absent. */
export interface NamedState {
  records: ReadonlyMap<string, RecordState | undefined>;
  tables: ReadonlyMap<string, TableState | undefined>;
  /** The team (whom a people field may name), when the command writes people fields. */
  team?: readonly TeamMember[];
  /** The whole schema (every table and view), for commands that read it as a whole. */
  schema?: { tables: readonly TableState[]; views: ReadonlyMap<string, ViewState> };
  /** Every record of these tables (archived ones too). */
  recordsOf?: ReadonlyMap<string, readonly RecordState[]>;
  /** A table's record count and an even sample of its records (see RECOMPUTE_SAMPLE_SIZE). */
  samples?: ReadonlyMap<string, { count: number; sample: RecordState[] }>;
}

/** What a decider read that its command's load step had not loaded. */
export type NotLoaded =
  | { kind: 'schema' }
  | { kind: 'table'; id: string }
  | { kind: 'record'; id: string }
  | { kind: 'records_of'; table_id: string }
  | { kind: 'sample'; table_id: string };

/**
 * Thrown by a preloaded context when a decider reads what was not loaded. Deciders are pure, so a
 * load step that learns what it missed can load it and decide again (see the fundraising commands).
 */
export class NotLoadedError extends Error {
  constructor(readonly need: NotLoaded) {
    super(`${JSON.stringify(need)} was not loaded before the decision: the load step misses it`);
    this.name = 'NotLoadedError';
  }
}

const missing = (need: NotLoaded) => new NotLoadedError(need);

/**
 * A decider's context over the state its command named, loaded beforehand (the load may await a
 * server database; the decider stays pure and synchronous). Reading anything not loaded is a
 * programming error in the load step, never a quiet read of the database.
 */
export function preloadedContext(state: NamedState): DecideContext {
  const schema = state.schema;
  const tableById = schema ? new Map(schema.tables.map((t) => [t.id, t])) : null;
  const records = state.records;
  // Records of a table loaded whole are named too, by id.
  const inTables = new Map<string, RecordState>();
  for (const list of state.recordsOf?.values() ?? []) for (const r of list) inTables.set(r.id, r);
  const context: DecideContext = {
    table: (id) => {
      if (tableById) return tableById.get(id);
      if (!state.tables.has(id)) throw missing({ kind: 'table', id });
      return state.tables.get(id);
    },
    record: (id) => {
      if (records.has(id)) return records.get(id);
      if (inTables.has(id)) return inTables.get(id);
      throw missing({ kind: 'record', id });
    },
    tables: () => {
      if (!schema) throw missing({ kind: 'schema' });
      return [...schema.tables];
    },
    recordsOf: (tableId) => {
      const list = state.recordsOf?.get(tableId);
      if (!list) throw missing({ kind: 'records_of', table_id: tableId });
      return list;
    },
    view: (id) => {
      if (!schema) throw missing({ kind: 'schema' });
      return schema.views.get(id);
    },
    viewIds: () => {
      if (!schema) throw missing({ kind: 'schema' });
      return schema.views.keys();
    },
  };
  const samples = state.samples;
  if (samples)
    context.recordSample = (tableId) => {
      const s = samples.get(tableId);
      if (!s) throw missing({ kind: 'sample', table_id: tableId });
      return s;
    };
  if (state.team) {
    const team = new Map(state.team.map((m) => [m.id, m]));
    context.member = (id) => team.get(id);
  }
  return context;
}

import { type RecordState } from '../record/record.state';
import { type TableState } from '../table/table.state';
import { type TeamDirectory } from '../values/user-value';
import { type DecideContext } from './decide-context';

/** What a command named, read before its decider ran: by id, `undefined` when looked up and absent. */
export interface NamedState {
  records: ReadonlyMap<string, RecordState | undefined>;
  tables: ReadonlyMap<string, TableState | undefined>;
  /** The team, when the command names a people field. */
  member?: TeamDirectory;
}

/**
 * A decider's context over the state its command named, loaded beforehand (the load may await a
 * server database; the decider stays pure and synchronous). Reading anything not loaded is a
 * programming error in the load step, never a quiet read of the database.
 */
export function preloadedContext(state: NamedState): DecideContext {
  const named =
    <T>(map: ReadonlyMap<string, T | undefined>, what: string) =>
    (id: string): T | undefined => {
      if (!map.has(id))
        throw new Error(
          `${what} ${id} was not loaded before the decision: the load step misses it`,
        );
      return map.get(id);
    };
  const notNamed = (what: string) => (): never => {
    throw new Error(`${what} are not loaded before this decision: the load step misses them`);
  };
  return {
    table: named(state.tables, 'table'),
    record: named(state.records, 'record'),
    tables: notNamed('the tables'),
    recordsOf: notNamed("a table's records"),
    view: notNamed('the views'),
    viewIds: notNamed('the views'),
    ...(state.member ? { member: state.member } : {}),
  };
}

import { type FundraisingEvent, type RecordedEvent } from '@crm/events';
import { UndoWork } from '../history/undo/undo-work';
import { decideChanges } from '../record/decide/apply-changes.decide';
import { decideCreateTable } from '../table/decide/create-table.decide';
import { Given } from './given-when-then';

/** A log with the table `tbl` (Name, Owner) and the record r1 (Name: Acme). */
export function givenUndoBase(): Given {
  const g = Given.empty();
  g.apply((ctx) =>
    decideCreateTable(
      {
        table_id: 'tbl',
        name: 'Investors',
        fields: [
          { id: 'name', name: 'Name', type: 'text' },
          { id: 'owner', name: 'Owner', type: 'text' },
        ],
      },
      ctx,
    ),
  );
  change(g, [{ op: 'create', table_id: 'tbl', record_id: 'r1', values: { name: 'Acme' } }]);
  return g;
}

export const change = (
  g: Given,
  changes: Parameters<typeof decideChanges>[0]['changes'],
  actor = 'usr_a',
): RecordedEvent[] =>
  g.apply((ctx) => decideChanges({ changes, at: g.now, actor_id: actor }, ctx), actor);

/** An undo's work, started on the log as it is now. */
export const undoWork = (g: Given): UndoWork => new UndoWork(g.ctx, g.now, 'usr_a');

/** A logged event as the fundraising event it holds. */
export const asEvent = <T extends FundraisingEvent['type']>(
  recorded: RecordedEvent,
  type: T,
): Extract<FundraisingEvent, { type: T }> => {
  if (recorded.type !== type) throw new Error(`expected ${type}, got ${recorded.type}`);
  return recorded as unknown as Extract<FundraisingEvent, { type: T }>;
};

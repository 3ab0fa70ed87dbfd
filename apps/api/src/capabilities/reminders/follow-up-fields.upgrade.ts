import { Logger } from '@nestjs/common';
import {
  decideAddFollowUpFields,
  FOLLOW_UP_FIELDS,
  FOLLOW_UP_ROLES,
  followUpRole,
} from '@crm/domain';
import { type FieldAddedData, streams } from '@crm/events';
import { newId } from '../../infrastructure/clock';
import type { CommandMeta } from '../../infrastructure/commands/command-executor';
import type { SqliteEventStore } from '../../infrastructure/event-store/sqlite-event-store';
import { SYSTEM_ACTOR } from '../../infrastructure/request-context/actor';
import type { FundraisingCommands, FundraisingRepository } from '../fundraising/index';

const logger = new Logger('FollowUpFields');

/** The follow-up roles a table's stream ever added (a field people removed stays removed). */
function rolesEverAdded(store: SqliteEventStore, tableId: string): Set<string> {
  const roles = new Set<string>();
  for (const e of store.readStream(streams.table(tableId)))
    if (e.type === 'FieldAdded') {
      const role = (e.data as FieldAddedData).field.role;
      if (role?.startsWith('follow_up.')) roles.add(role);
    }
  return roles;
}

/**
 * At start: investors and contacts get the follow-up fields they never had (a base from before
 * them, or a new one), one batch by the system with source `migration`, appended like any schema
 * change. Their values follow by the follow-up processor, caused by the fields' arrival.
 */
export async function upgradeFollowUpFields(
  commands: FundraisingCommands,
  repo: FundraisingRepository,
  store: SqliteEventStore,
  meta: CommandMeta = { actor: SYSTEM_ACTOR, source: 'migration', correlation_id: newId('cor') },
): Promise<number> {
  const everAdded = new Map<string, Set<string>>();
  const lacking = repo.tables().filter((t) => {
    if (!t.role || !FOLLOW_UP_ROLES.includes(t.role)) return false;
    const roles = rolesEverAdded(store, t.id);
    everAdded.set(t.id, roles);
    return FOLLOW_UP_FIELDS.some(({ value }) => !roles.has(followUpRole(value)));
  });
  if (lacking.length === 0) return 0;
  const { decision } = await commands.decide(meta, (ctx) =>
    decideAddFollowUpFields(
      () => newId('fld'),
      (tableId) => everAdded.get(tableId) ?? new Set(),
      ctx,
    ),
  );
  const added = decision.appends.reduce((n, a) => n + a.events.length, 0);
  if (added) logger.log(`added ${added} follow-up field(s) to investors and contacts`);
  return added;
}

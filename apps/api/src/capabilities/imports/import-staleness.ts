import { DomainError } from '@crm/domain';
import type { BaseAccess } from './base-access';

/** What a plan read besides the file: its table, and the tables its link columns looked names up in. */
export interface PlanReads {
  table_id: string;
  linked: string[];
}

/** Past this many events since the plan, it is made again rather than the events read one by one. */
const MAX_EVENTS_READ = 20_000;

/**
 * True when an event after `since` may change the plan made at `since`: any change to the import's
 * own table (its schema, or a record, which a merge key or an update may match), and in a linked
 * table its schema, a record created, deleted or restored, or a renamed one (names resolve links).
 * Edits elsewhere leave the plan as it is, so a plan reviewed while others edit stays committable.
 */
export function planMovedSince(base: BaseAccess, since: number, reads: PlanReads): boolean {
  const head = base.store.lastPosition();
  if (head === since) return false;
  if (head - since > MAX_EVENTS_READ) return true;
  const linked = new Map(
    reads.linked.map((id) => [id, base.repo.table(id)?.primary_field_id ?? null]),
  );
  for (const e of base.store.readAll(since, MAX_EVENTS_READ)) {
    const data = e.data as { table_id?: unknown; changes?: { field_id: string }[] } | null;
    const table = typeof data?.table_id === 'string' ? data.table_id : null;
    if (table === null || e.stream_id.startsWith('view-')) continue;
    if (table === reads.table_id) return true;
    if (!linked.has(table)) continue;
    if (e.type !== 'RecordUpdated') return true;
    const primary = linked.get(table);
    if (data?.changes?.some((c) => c.field_id === primary)) return true;
  }
  return false;
}

/** What the plan read moved between the check and the first write: the plan is checked again. */
export class PlanMoved extends Error {}

/** How often a commit plans again when others keep changing what it reads, before it gives up. */
export const MAX_PLAN_ATTEMPTS = 3;

export const planKeptMoving = () =>
  new DomainError(
    'conflict',
    'the table changed while the import was being prepared; try again',
    {},
    'stale_plan',
  );

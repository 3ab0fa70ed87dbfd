import { type FollowUpFacts } from '@crm/domain';
import type { RemindersRepository } from './reminders.repository';

type MutableFacts = FollowUpFacts & {
  open_reminders: FollowUpFacts['open_reminders'][number][];
  interactions_at: string[];
};

/**
 * What the follow-up fields of records are worked out from, read from the reminders' tables in a few
 * set queries (a night's refresh reads thousands of records at once).
 */
export class FollowUpFactsReader {
  constructor(private readonly repo: RemindersRepository) {}

  /** The facts of each record (`NO_FOLLOW_UP`-like when it has none); interactions since `since`. */
  factsOf(recordIds: readonly string[], since: string): Map<string, FollowUpFacts> {
    const out = new Map<string, MutableFacts>();
    for (const id of recordIds)
      out.set(id, {
        last_contacted_at: null,
        last_contacted_by: null,
        open_reminders: [],
        interactions_at: [],
      });
    const ids = JSON.stringify([...out.keys()]);
    const last = this.repo
      .stmt(
        `SELECT f.record_id, f.last_contacted_at, f.last_contacted_by FROM json_each(?) AS i
         JOIN follow_up_records f ON f.record_id = i.value`,
      )
      .all(ids) as { record_id: string; last_contacted_at: string; last_contacted_by: string }[];
    for (const r of last)
      Object.assign(out.get(r.record_id)!, {
        last_contacted_at: r.last_contacted_at,
        last_contacted_by: r.last_contacted_by,
      });
    const open = this.repo
      .stmt(
        `SELECT r.record_id, r.status, r.snoozed_until, r.due_on FROM json_each(?) AS i
         JOIN reminders r ON r.record_id = i.value
         WHERE r.deleted_at IS NULL AND r.status IN ('open', 'snoozed')`,
      )
      .all(ids) as {
      record_id: string;
      status: string;
      snoozed_until: string | null;
      due_on: string;
    }[];
    for (const r of open) out.get(r.record_id)!.open_reminders.push(r);
    const recent = this.repo
      .stmt(
        `SELECT i.value AS id, n.occurred_at FROM json_each(?) AS i
         JOIN interactions n ON n.record_id = i.value
         WHERE n.occurred_at >= ? AND n.retracted_at IS NULL
         UNION ALL SELECT i.value, n.occurred_at FROM json_each(?) AS i
         JOIN interactions n ON n.contact_id = i.value
         WHERE n.occurred_at >= ? AND n.record_id <> n.contact_id AND n.retracted_at IS NULL`,
      )
      .all(ids, since, ids, since) as { id: string; occurred_at: string }[];
    for (const r of recent) out.get(r.id)!.interactions_at.push(r.occurred_at);
    return out;
  }

  /**
   * Every record whose follow-up values may be other than empty: contacted once, with a reminder
   * open, or with an interaction since `since` (a record that has none keeps empty cells).
   */
  recordsWithFacts(since: string): string[] {
    return this.repo
      .stmt(
        `SELECT record_id FROM follow_up_records
         UNION SELECT record_id FROM reminders WHERE deleted_at IS NULL AND status IN ('open', 'snoozed')
         UNION SELECT record_id FROM interactions WHERE occurred_at >= ? AND retracted_at IS NULL
         UNION SELECT contact_id FROM interactions WHERE occurred_at >= ? AND contact_id IS NOT NULL
           AND retracted_at IS NULL`,
      )
      .pluck()
      .all(since, since) as string[];
  }

  /** Whether any record has follow-up facts at all. */
  anyFacts(): boolean {
    return (
      this.repo
        .stmt('SELECT EXISTS (SELECT 1 FROM follow_up_records) OR EXISTS (SELECT 1 FROM reminders)')
        .pluck()
        .get() === 1
    );
  }
}

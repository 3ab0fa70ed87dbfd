import type { DueReminder } from '@crm/contracts';
import type { Statement } from 'better-sqlite3';
import { type Sqlite } from '../../infrastructure/database/database';

/** How many of each owner's reminders the dashboard lists (the count is of all of them). */
export const LISTED_PER_OWNER = 20;

type Row = Omit<DueReminder, 'record_name'> & { assignee_id: string };

/**
 * Open and snoozed reminders due between two days, per assignee, from the reminders' read model
 * (its index of open reminders by assignee and day).
 */
export class RemindersDueRepository {
  private readonly counts: Statement;
  private readonly firsts: Statement;

  constructor(db: Sqlite) {
    const due = `deleted_at IS NULL AND status IN ('open', 'snoozed') AND due_on >= @from AND due_on < @to`;
    this.counts = db.prepare(
      `SELECT assignee_id, COUNT(*) AS count FROM reminders WHERE ${due} GROUP BY assignee_id`,
    );
    this.firsts = db.prepare(
      `SELECT id, title, due_on, record_id, table_id, assignee_id FROM (
         SELECT *, row_number() OVER (PARTITION BY assignee_id ORDER BY due_on, id) AS n
         FROM reminders WHERE ${due}
       ) WHERE n <= ${LISTED_PER_OWNER} ORDER BY assignee_id, due_on, id`,
    );
  }

  /** Per assignee: how many are due in [from, to) (days, YYYY-MM-DD) and the first few of them. */
  due(from: string, to: string): { assignee_id: string; count: number; reminders: Row[] }[] {
    const listed = new Map<string, Row[]>();
    for (const r of this.firsts.all({ from, to }) as Row[]) {
      const list = listed.get(r.assignee_id);
      if (list) list.push(r);
      else listed.set(r.assignee_id, [r]);
    }
    return (this.counts.all({ from, to }) as { assignee_id: string; count: number }[]).map((c) => ({
      ...c,
      reminders: listed.get(c.assignee_id) ?? [],
    }));
  }
}

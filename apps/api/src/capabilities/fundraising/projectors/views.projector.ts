import { type FundraisingEvent, type RecordedEvent } from '@crm/events';
import type { Statement } from 'better-sqlite3';
import { type Sqlite } from '../../../infrastructure/database/database';
import { type Projector } from '../../../infrastructure/projections/projector';

/** `fundraising_views`: the saved views, as their last ViewSaved left them. */
export class ViewsProjector implements Projector {
  readonly name = 'views';
  readonly tables = ['fundraising_views'] as const;
  private readonly upsert: Statement;
  private readonly remove: Statement;

  constructor(private readonly db: Sqlite) {
    this.upsert =
      db.prepare(`INSERT INTO fundraising_views (id, table_id, name, config, version, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (id) DO UPDATE SET name = excluded.name, config = excluded.config, version = excluded.version, updated_at = excluded.updated_at, updated_by = excluded.updated_by
      WHERE excluded.version > fundraising_views.version`);
    this.remove = db.prepare('DELETE FROM fundraising_views WHERE id = ?');
  }

  async apply(events: readonly RecordedEvent[]): Promise<void> {
    for (const e of events) this.project(e);
  }

  private project(recorded: RecordedEvent): void {
    const event = recorded as unknown as FundraisingEvent;
    if (event.type === 'ViewSaved') {
      const d = event.data;
      this.upsert.run(
        d.view_id,
        d.table_id,
        d.name,
        JSON.stringify(d.config),
        recorded.stream_version,
        recorded.recorded_at,
        recorded.metadata.actor_id,
      );
    } else if (event.type === 'ViewDeleted') {
      this.remove.run(event.data.view_id);
    }
  }

  async reset(): Promise<void> {
    this.db.prepare('DELETE FROM fundraising_views').run();
  }
}

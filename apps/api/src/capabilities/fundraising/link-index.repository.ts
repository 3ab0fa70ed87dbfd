import type { Statement } from 'better-sqlite3';
import { type Sqlite } from '../../infrastructure/database/database';

/** `fundraising_links`: which records each link cell points at, looked up by the record pointed at. */
export class LinkIndexRepository {
  private readonly stmts: Record<'clear' | 'insert' | 'remove' | 'linking' | 'reset', Statement>;

  constructor(db: Sqlite) {
    this.stmts = {
      clear: db.prepare('DELETE FROM fundraising_links WHERE source_id = ? AND field_id = ?'),
      insert: db.prepare(
        'INSERT OR IGNORE INTO fundraising_links (source_id, field_id, target_id) VALUES (?, ?, ?)',
      ),
      remove: db.prepare(
        'DELETE FROM fundraising_links WHERE source_id = ? AND field_id = ? AND target_id = ?',
      ),
      linking: db.prepare('SELECT source_id, field_id FROM fundraising_links WHERE target_id = ?'),
      reset: db.prepare('DELETE FROM fundraising_links'),
    };
  }

  /** The link cell `fieldId` of `sourceId` now points at `targets`. */
  set(sourceId: string, fieldId: string, targets: readonly string[]): void {
    this.stmts.clear.run(sourceId, fieldId);
    for (const t of targets) this.stmts.insert.run(sourceId, fieldId, t);
  }

  /** The link cell changed from `from` to `to`: only the difference is written (an inverse cell can be long). */
  change(sourceId: string, fieldId: string, from: readonly string[], to: readonly string[]): void {
    const was = new Set(from);
    const now = new Set(to);
    for (const t of was) if (!now.has(t)) this.stmts.remove.run(sourceId, fieldId, t);
    for (const t of now) if (!was.has(t)) this.stmts.insert.run(sourceId, fieldId, t);
  }

  /** The records (and their link fields) pointing at `targetId`. */
  linking(targetId: string): { source_id: string; field_id: string }[] {
    return this.stmts.linking.all(targetId) as { source_id: string; field_id: string }[];
  }

  reset(): void {
    this.stmts.reset.run();
  }
}

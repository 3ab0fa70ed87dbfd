import type { FeatureRequest } from '@crm/contracts';
import { type FeatureRequestState } from '@crm/domain';
import type { FeatureRequestStatus } from '@crm/events';
import type { Statement } from 'better-sqlite3';
import { type Sqlite } from '../../infrastructure/database/database';

type Row = Omit<FeatureRequest, 'voted'> & { version: number };

/** The SQL of the feature requests' read model (`feature_requests`, `feature_request_votes`). */
export class FeatureRequestsRepository {
  private readonly one: Statement;
  private readonly voters: Statement;
  private readonly upsert: Statement;
  private readonly addVote: Statement;
  private readonly dropVote: Statement;
  private readonly listAll: Statement;
  private readonly listByStatus: Statement;

  constructor(readonly db: Sqlite) {
    this.one = db.prepare('SELECT * FROM feature_requests WHERE id = ?');
    this.voters = db
      .prepare('SELECT user_id FROM feature_request_votes WHERE request_id = ? ORDER BY user_id')
      .pluck();
    this.upsert = db.prepare(
      `INSERT INTO feature_requests (id, title, body, status, votes, created_by, created_at, updated_at, version)
       VALUES (@id, @title, @body, @status, @votes, @created_by, @created_at, @updated_at, @version)
       ON CONFLICT (id) DO UPDATE SET title = excluded.title, body = excluded.body,
         status = excluded.status, votes = excluded.votes, updated_at = excluded.updated_at,
         version = excluded.version`,
    );
    this.addVote = db.prepare(
      'INSERT OR IGNORE INTO feature_request_votes (request_id, user_id) VALUES (?, ?)',
    );
    this.dropVote = db.prepare(
      'DELETE FROM feature_request_votes WHERE request_id = ? AND user_id = ?',
    );
    const list = (where: string) =>
      `SELECT r.*, EXISTS (SELECT 1 FROM feature_request_votes v WHERE v.request_id = r.id AND v.user_id = @reader) AS voted
       FROM feature_requests r ${where} ORDER BY r.votes DESC, r.created_at, r.id`;
    this.listAll = db.prepare(list(''));
    this.listByStatus = db.prepare(list('WHERE r.status = @status'));
  }

  /** A request as its deciders read it (its voters too), or undefined. */
  request(id: string): FeatureRequestState | undefined {
    const row = this.one.get(id) as Row | undefined;
    if (!row) return undefined;
    const { votes: _, ...rest } = row;
    return { ...rest, voters: this.voters.all(id) as string[] };
  }

  /** Written by the projector only: the row, and the votes that changed. */
  save(next: FeatureRequestState, before: FeatureRequestState | undefined): void {
    const { voters, ...row } = next;
    this.upsert.run({ ...row, votes: voters.length });
    const was = new Set(before?.voters ?? []);
    for (const v of voters) if (!was.has(v)) this.addVote.run(next.id, v);
    for (const v of was) if (!voters.includes(v)) this.dropVote.run(next.id, v);
  }

  list(reader: string, status?: FeatureRequestStatus): FeatureRequest[] {
    const rows = (
      status === undefined
        ? this.listAll.all({ reader })
        : this.listByStatus.all({ reader, status })
    ) as (Row & { voted: number })[];
    return rows.map(({ version: _, ...r }) => ({ ...r, voted: r.voted === 1 }));
  }

  view(id: string, reader: string): FeatureRequest | undefined {
    const r = this.request(id);
    if (!r) return undefined;
    const { voters, version: _, ...rest } = r;
    return { ...rest, votes: voters.length, voted: voters.includes(reader) };
  }

  reset(): void {
    this.db.exec('DELETE FROM feature_request_votes; DELETE FROM feature_requests;');
  }
}

import { createHash } from 'node:crypto';
import type { Statement } from 'better-sqlite3';
import type { Sqlite } from '../database/database';

export interface StoredAnswer {
  fingerprint: string;
  response: string;
}

/**
 * The one idempotency ledger: a command sent again under a key it has already run with gets the
 * first answer back instead of running twice. Written in the command's own transaction, so a key is
 * stored exactly when the command's events are.
 */
export class IdempotencyRepository {
  private readonly find: Statement;
  private readonly save: Statement;

  constructor(db: Sqlite) {
    this.find = db.prepare('SELECT fingerprint, response FROM idempotency_keys WHERE key = ?');
    this.save = db.prepare(
      'INSERT INTO idempotency_keys (key, fingerprint, response, position, created_at) VALUES (?, ?, ?, ?, ?)',
    );
  }

  answerFor(key: string): StoredAnswer | undefined {
    return this.find.get(key) as StoredAnswer | undefined;
  }

  remember(
    key: string,
    fingerprint: string,
    response: unknown,
    position: number,
    at: string,
  ): void {
    this.save.run(key, fingerprint, JSON.stringify(response ?? null), position, at);
  }
}

/** What makes two requests under one key the same request: the hash of their body. */
export const fingerprintOf = (request: unknown): string =>
  createHash('sha256')
    .update(JSON.stringify(request ?? null))
    .digest('hex');

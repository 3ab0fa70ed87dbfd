import Database from 'better-sqlite3';
import { EVENT_STORE_SCHEMA } from '@crm/migrations';
import { eventStoreContract } from '../../../../../test/contract/event-store.contract';
import { SqliteEventStore } from './sqlite-event-store';

// The same contract the in-memory store passes, on a real SQLite database laid out by the migration's SQL.
eventStoreContract('sqlite', () => {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  for (const sql of EVENT_STORE_SCHEMA) db.exec(sql);
  return { store: new SqliteEventStore(db), close: () => db.close() };
});

describe('SqliteEventStore', () => {
  it('runs append hooks inside the transaction, so a failing projection leaves no event behind', () => {
    const db = new Database(':memory:');
    for (const sql of EVENT_STORE_SCHEMA) db.exec(sql);
    const store = new SqliteEventStore(db);
    store.onAppend(() => {
      throw new Error('projection failed');
    });
    const append = () => store.append([{ stream_id: 's-1', expected_version: 0, events: [{ type: 'Happened', data: {} }] }], {
      metadata: { actor_id: 'a', correlation_id: 'c', source: 'api' }, recorded_at: '2026-01-01T00:00:00.000Z', event_ids: ['e1'],
    });
    expect(append).toThrow('projection failed');
    expect(store.lastPosition()).toBe(0);
    db.close();
  });
});

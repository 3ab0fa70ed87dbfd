import Database from 'better-sqlite3';
import { EVENT_STORE_SCHEMA, HISTORY_SCHEMA } from '@crm/migrations';
import { eventStoreContract } from '../../../../../test/contract/event-store.contract';
import { SqliteEventStore, sqliteEventStorePort } from './sqlite-event-store';

// The same contract the in-memory store passes, on a real SQLite database laid out by the migration's SQL.
eventStoreContract('sqlite', () => {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  for (const sql of [...EVENT_STORE_SCHEMA, ...HISTORY_SCHEMA]) db.exec(sql);
  return { store: sqliteEventStorePort(new SqliteEventStore(db)), close: () => db.close() };
});

describe('SqliteEventStore', () => {
  it('runs append hooks inside the transaction, so a failing projection leaves no event behind', () => {
    const db = new Database(':memory:');
    for (const sql of [...EVENT_STORE_SCHEMA, ...HISTORY_SCHEMA]) db.exec(sql);
    const store = new SqliteEventStore(db);
    store.onAppend(() => {
      throw new Error('projection failed');
    });
    const append = () =>
      store.append(
        [{ stream_id: 's-1', expected_version: 0, events: [{ type: 'Happened', data: {} }] }],
        {
          metadata: { actor_id: 'a', correlation_id: 'c', source: 'api' },
          recorded_at: '2026-01-01T00:00:00.000Z',
          event_ids: ['e1'],
        },
      );
    expect(append).toThrow('projection failed');
    expect(store.lastPosition()).toBe(0);
    db.close();
  });
});

describe('SqliteEventStore upcasting', () => {
  it('writes FieldRemoved at its current schema version and lifts a stored v1 row on read, leaving the row as it is', () => {
    const db = new Database(':memory:');
    for (const sql of [...EVENT_STORE_SCHEMA, ...HISTORY_SCHEMA]) db.exec(sql);
    const store = new SqliteEventStore(db);
    const field = { id: 'fld', name: 'Owner', type: 'text', options: {}, role: null };
    store.append(
      [
        {
          stream_id: 'table-t',
          expected_version: 0,
          events: [{ type: 'FieldRemoved', data: { table_id: 't', field, values: { r: 'x' } } }],
        },
      ],
      {
        metadata: { actor_id: 'a', correlation_id: 'c', source: 'api' },
        recorded_at: '2026-01-01T00:00:00.000Z',
        event_ids: ['e1'],
      },
    );
    expect(store.readAll()[0].schema_version).toBe(2);
    db.prepare(
      `INSERT INTO events (position, event_id, stream_id, stream_version, type, schema_version, data, metadata, recorded_at, hash, actor_id, correlation_id)
      VALUES (2, 'e2', 'table-t', 2, 'FieldRemoved', 1, ?, '{"actor_id":"a","correlation_id":"c","source":"api"}', '2026-01-01T00:00:01.000Z', 'h', 'a', 'c')`,
    ).run(JSON.stringify({ table_id: 't', field }));
    const old = store.readAll(1)[0];
    expect(old).toMatchObject({ schema_version: 2, data: { table_id: 't', field, values: {} } });
    expect(db.prepare('SELECT schema_version, data FROM events WHERE position = 2').get()).toEqual({
      schema_version: 1,
      data: JSON.stringify({ table_id: 't', field }),
    });
    db.close();
  });
});

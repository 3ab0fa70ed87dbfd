import Database from 'better-sqlite3';
import { LOG_SCHEMA } from '@crm/migrations';
import { eventStoreContract } from '../../../../../test/contract/event-store.contract';
import { SqliteEventStore, sqliteEventStorePort } from './sqlite-event-store';

// The same contract the in-memory store passes, on a real SQLite database laid out by the migration's SQL.
eventStoreContract('sqlite', () => {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  for (const sql of LOG_SCHEMA) db.exec(sql);
  return { store: sqliteEventStorePort(new SqliteEventStore(db)), close: () => db.close() };
});

describe('SqliteEventStore', () => {
  it('runs append hooks inside the transaction, so a failing projection leaves no event behind', () => {
    const db = new Database(':memory:');
    for (const sql of LOG_SCHEMA) db.exec(sql);
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

describe('SqliteEventStore clock steps', () => {
  const at = (second: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, second)).toISOString();
  const steps = (db: Database.Database) =>
    db.prepare('SELECT from_position, to_position, recorded_at FROM event_clock_steps').all();

  it('notes an append stamped earlier than the latest time on record, and only that one', () => {
    // Given a log written at 0 s, 10 s and 20 s
    const db = new Database(':memory:');
    for (const sql of LOG_SCHEMA) db.exec(sql);
    const store = new SqliteEventStore(db);
    let n = 0;
    const append = (second: number, events = 1) =>
      store.append(
        [
          {
            stream_id: `s-${n}`,
            expected_version: -1,
            events: Array.from({ length: events }, () => ({ type: 'Happened', data: {} })),
          },
        ],
        {
          metadata: { actor_id: 'a', correlation_id: `c${n}`, source: 'api' },
          recorded_at: at(second),
          event_ids: Array.from({ length: events }, () => `e${++n}`),
        },
      );
    append(0);
    append(10);
    append(20);
    // The same moment again is not a step back
    append(20);
    expect(steps(db)).toEqual([]);
    // When the clock is set back to 5 s for an append of three events, then runs on from 15 s
    append(5, 3);
    append(15);
    append(25);
    // Then both appends written before the clock caught up are noted, the later one being later than its predecessor but not than 20 s
    expect(steps(db)).toEqual([
      { from_position: 5, to_position: 7, recorded_at: at(5) },
      { from_position: 8, to_position: 8, recorded_at: at(15) },
    ]);
    db.close();
  });
});

describe('SqliteEventStore upcasting', () => {
  it('writes FieldRemoved at its current schema version and lifts a stored v1 row on read, leaving the row as it is', () => {
    const db = new Database(':memory:');
    for (const sql of LOG_SCHEMA) db.exec(sql);
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

describe('SqliteEventStore reads by type', () => {
  const TYPES = ['A', 'B', 'C', 'D'];
  const storeWith = (types: string[]) => {
    const db = new Database(':memory:');
    for (const sql of LOG_SCHEMA) db.exec(sql);
    const store = new SqliteEventStore(db);
    types.forEach((type, i) =>
      store.append(
        [{ stream_id: `s-${i % 3}`, expected_version: -1, events: [{ type, data: { i } }] }],
        {
          metadata: { actor_id: 'a', correlation_id: 'c', source: 'api' },
          recorded_at: '2026-01-01T00:00:00.000Z',
          event_ids: [`e${i}`],
        },
      ),
    );
    return { db, store };
  };

  it('given a log of mixed types, when it is read in small steps for two types, then every event of those types comes once, in order, and the reads end at the head', () => {
    // Given: a deterministic jumble of 60 events of four types.
    const types = Array.from({ length: 60 }, (_, i) => TYPES[(i * 7 + (i >> 2)) % 4]);
    const { db, store } = storeWith(types);
    const wanted = ['C', 'A'];
    // When: read three at most at a time, each read going on from where the last looked through.
    const seen: number[] = [];
    let after = 0;
    for (let reads = 0; after < store.lastPosition(); reads++) {
      const { events, through } = store.readOfTypes(after, wanted, 3);
      expect(through).toBeGreaterThan(after);
      seen.push(...events.map((e) => e.position));
      after = through;
      expect(reads).toBeLessThan(100);
    }
    // Then: exactly the wanted events, in log order, none twice.
    const expected = store
      .readAll()
      .filter((e) => wanted.includes(e.type))
      .map((e) => e.position);
    expect(seen).toEqual(expected);
    db.close();
  });

  it('given no wanted type in the log, when it is read, then it returns nothing and looks through to the head', () => {
    const { db, store } = storeWith(['A', 'B', 'A']);
    expect(store.readOfTypes(0, ['Z'], 10)).toEqual({ events: [], through: 3, head: 3 });
    expect(store.readOfTypes(0, [], 10)).toEqual({ events: [], through: 3, head: 3 });
    expect(store.readOfTypes(3, ['A'], 10)).toEqual({ events: [], through: 3, head: 3 });
    db.close();
  });
});

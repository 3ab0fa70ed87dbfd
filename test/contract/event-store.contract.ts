import {
  ANY_VERSION,
  type AppendOptions,
  type EventMetadata,
  type EventStore,
  type NewEvent,
  type StreamAppend,
  WrongExpectedVersionError,
} from '@crm/events';

/**
 * The EventStore port's contract. Every implementation (in-memory, SQLite, ...) runs it with a factory
 * that returns a fresh, empty store. It assumes nothing about how a store hashes, only that the hasher
 * the factory supplies is deterministic.
 */
export function eventStoreContract(
  name: string,
  make: () => { store: EventStore; close?: () => void },
): void {
  describe(`EventStore contract: ${name}`, () => {
    const opened: { close?: () => void }[] = [];
    const fresh = (): EventStore => {
      const made = make();
      opened.push(made);
      return made.store;
    };
    afterEach(() => {
      for (const m of opened.splice(0)) m.close?.();
    });

    const META: EventMetadata = {
      actor_id: 'usr_ada',
      actor_name: 'Ada',
      correlation_id: 'cor_1',
      causation_id: null,
      source: 'api',
    };
    let ids = 0;
    const options = (count: number, over: Partial<AppendOptions> = {}): AppendOptions => ({
      metadata: META,
      recorded_at: '2026-01-01T10:00:00.000Z',
      event_ids: Array.from({ length: count }, () => `evt_${++ids}`),
      ...over,
    });
    const ev = (type: string, data: unknown = {}): NewEvent => ({ type, data });
    const append = (
      store: EventStore,
      appends: StreamAppend[],
      over: Partial<AppendOptions> = {},
    ) =>
      store.append(
        appends,
        options(
          appends.reduce((n, a) => n + a.events.length, 0),
          over,
        ),
      );
    const errorOf = async (fn: () => Promise<unknown>): Promise<unknown> => {
      try {
        await fn();
      } catch (e) {
        return e;
      }
      throw new Error('expected an error, but nothing was thrown');
    };
    /** What a store holds, for "nothing changed" assertions. */
    const snapshot = async (store: EventStore, streamIds: string[]) => ({
      last: await store.lastPosition(),
      all: await store.readAll(),
      streams: await Promise.all(
        streamIds.map(async (s) => [await store.readStream(s), await store.streamInfo(s)]),
      ),
    });

    describe('a fresh store', () => {
      it('is empty', async () => {
        const store = fresh();
        expect(await store.lastPosition()).toBe(0);
        expect(await store.readAll()).toEqual([]);
        expect(await store.readStream('record-r1')).toEqual([]);
        expect(await store.streamInfo('record-r1')).toEqual({
          version: 0,
          updated_at: null,
          updated_by: null,
        });
      });
    });

    describe('append', () => {
      it('appends to a new stream with expected version 0 and records the envelope', async () => {
        const store = fresh();
        const result = await store.append(
          [
            {
              stream_id: 'record-r1',
              expected_version: 0,
              events: [
                ev('RecordCreated', { record_id: 'r1', values: { a: 1 } }),
                { type: 'RecordUpdated', data: { n: 2 }, schema_version: 2 },
              ],
            },
          ],
          {
            metadata: META,
            recorded_at: '2026-01-01T10:00:00.000Z',
            event_ids: ['evt_a', 'evt_b'],
          },
        );
        expect(result.position).toBe(2);
        expect(result.events).toEqual([
          {
            position: 1,
            event_id: 'evt_a',
            stream_id: 'record-r1',
            stream_version: 1,
            type: 'RecordCreated',
            schema_version: 1,
            data: { record_id: 'r1', values: { a: 1 } },
            metadata: META,
            recorded_at: '2026-01-01T10:00:00.000Z',
            idempotency_key: null,
            hash: expect.any(String),
          },
          {
            position: 2,
            event_id: 'evt_b',
            stream_id: 'record-r1',
            stream_version: 2,
            type: 'RecordUpdated',
            schema_version: 2,
            data: { n: 2 },
            metadata: META,
            recorded_at: '2026-01-01T10:00:00.000Z',
            idempotency_key: null,
            hash: expect.any(String),
          },
        ]);
        expect(await store.readStream('record-r1')).toEqual(result.events);
        expect(await store.readAll()).toEqual(result.events);
        expect(await store.lastPosition()).toBe(2);
        expect(await store.streamInfo('record-r1')).toEqual({
          version: 2,
          updated_at: '2026-01-01T10:00:00.000Z',
          updated_by: 'usr_ada',
        });
      });

      it('appends to an existing stream at its current version', async () => {
        const store = fresh();
        await append(store, [{ stream_id: 's', expected_version: 0, events: [ev('A')] }]);
        const result = await append(
          store,
          [{ stream_id: 's', expected_version: 1, events: [ev('B')] }],
          {
            metadata: { ...META, actor_id: 'usr_bob' },
            recorded_at: '2026-01-02T00:00:00.000Z',
          },
        );
        expect(result.events.map((e) => [e.position, e.stream_version, e.type])).toEqual([
          [2, 2, 'B'],
        ]);
        expect(await store.streamInfo('s')).toEqual({
          version: 2,
          updated_at: '2026-01-02T00:00:00.000Z',
          updated_by: 'usr_bob',
        });
      });

      it("stores a copy of the data, not the caller's object", async () => {
        const store = fresh();
        const data = { values: { name: 'Acme' } };
        await append(store, [{ stream_id: 's', expected_version: 0, events: [ev('A', data)] }]);
        data.values.name = 'changed later';
        expect((await store.readStream('s'))[0].data).toEqual({ values: { name: 'Acme' } });
      });

      it('skips the version check with ANY_VERSION', async () => {
        const store = fresh();
        await append(store, [
          { stream_id: 'system', expected_version: ANY_VERSION, events: [ev('A')] },
        ]);
        await append(store, [
          { stream_id: 'system', expected_version: ANY_VERSION, events: [ev('B')] },
        ]);
        expect((await store.readStream('system')).map((e) => [e.stream_version, e.type])).toEqual([
          [1, 'A'],
          [2, 'B'],
        ]);
      });

      it('appends to several streams in one call, in order', async () => {
        const store = fresh();
        const result = await append(store, [
          { stream_id: 'table-t1', expected_version: 0, events: [ev('TableCreated')] },
          {
            stream_id: 'record-r1',
            expected_version: 0,
            events: [ev('RecordCreated'), ev('RecordUpdated')],
          },
        ]);
        expect(result.events.map((e) => [e.position, e.stream_id, e.stream_version])).toEqual([
          [1, 'table-t1', 1],
          [2, 'record-r1', 1],
          [3, 'record-r1', 2],
        ]);
        expect(result.position).toBe(3);
      });

      it('takes two appends to the same stream in one call with consecutive expected versions', async () => {
        const store = fresh();
        await append(store, [
          { stream_id: 'record-r1', expected_version: 0, events: [ev('RecordCreated')] },
        ]);
        const result = await append(store, [
          { stream_id: 'record-r1', expected_version: 1, events: [ev('RecordUpdated', { n: 1 })] },
          { stream_id: 'record-r2', expected_version: 0, events: [ev('RecordCreated')] },
          {
            stream_id: 'record-r1',
            expected_version: 2,
            events: [ev('RecordUpdated', { n: 2 }), ev('RecordArchived')],
          },
        ]);
        expect(
          result.events.map((e) => [e.position, e.stream_id, e.stream_version, e.type]),
        ).toEqual([
          [2, 'record-r1', 2, 'RecordUpdated'],
          [3, 'record-r2', 1, 'RecordCreated'],
          [4, 'record-r1', 3, 'RecordUpdated'],
          [5, 'record-r1', 4, 'RecordArchived'],
        ]);
        expect((await store.readStream('record-r1')).map((e) => e.stream_version)).toEqual([
          1, 2, 3, 4,
        ]);
        expect((await store.streamInfo('record-r1')).version).toBe(4);
      });

      it('checks a second append to the same stream against the version the first one leaves', async () => {
        const store = fresh();
        await append(store, [
          { stream_id: 'record-r1', expected_version: 0, events: [ev('RecordCreated')] },
        ]);
        const before = await snapshot(store, ['record-r1', 'record-r2']);
        const err = await errorOf(() =>
          append(store, [
            { stream_id: 'record-r1', expected_version: 1, events: [ev('RecordUpdated')] },
            { stream_id: 'record-r2', expected_version: 0, events: [ev('RecordCreated')] },
            { stream_id: 'record-r1', expected_version: 1, events: [ev('RecordUpdated')] },
          ]),
        );
        expect(err).toBeInstanceOf(WrongExpectedVersionError);
        expect(err).toMatchObject({
          code: 'conflict',
          stream_id: 'record-r1',
          expected_version: 1,
          current_version: 2,
        });
        expect(await snapshot(store, ['record-r1', 'record-r2'])).toEqual(before);
      });
      it('knows a stream this call created: a later append to it takes its new version, and expected version 0 again is refused', async () => {
        const store = fresh();
        const result = await append(store, [
          { stream_id: 'record-r1', expected_version: 0, events: [ev('RecordCreated')] },
          { stream_id: 'record-r2', expected_version: 0, events: [ev('RecordCreated')] },
          { stream_id: 'record-r1', expected_version: 1, events: [ev('RecordUpdated')] },
        ]);
        expect(result.events.map((e) => [e.stream_id, e.stream_version])).toEqual([
          ['record-r1', 1],
          ['record-r2', 1],
          ['record-r1', 2],
        ]);
        const before = await snapshot(store, ['record-r3', 'record-r4']);
        const err = await errorOf(() =>
          append(store, [
            { stream_id: 'record-r3', expected_version: 0, events: [ev('RecordCreated')] },
            { stream_id: 'record-r4', expected_version: 0, events: [ev('RecordCreated')] },
            { stream_id: 'record-r3', expected_version: 0, events: [ev('RecordCreated')] },
          ]),
        );
        expect(err).toBeInstanceOf(WrongExpectedVersionError);
        expect(err).toMatchObject({
          code: 'conflict',
          stream_id: 'record-r3',
          expected_version: 0,
          current_version: 1,
        });
        expect(await snapshot(store, ['record-r3', 'record-r4'])).toEqual(before);
      });
    });

    describe('expected version', () => {
      it('throws WrongExpectedVersionError carrying the current version, when and by whom it was last changed', async () => {
        const store = fresh();
        await append(
          store,
          [{ stream_id: 'record-r1', expected_version: 0, events: [ev('A'), ev('B')] }],
          { metadata: { ...META, actor_id: 'usr_bob' }, recorded_at: '2026-02-03T04:05:06.000Z' },
        );
        const err = await errorOf(() =>
          append(store, [{ stream_id: 'record-r1', expected_version: 1, events: [ev('C')] }]),
        );
        expect(err).toBeInstanceOf(WrongExpectedVersionError);
        expect(err).toMatchObject({
          code: 'conflict',
          stream_id: 'record-r1',
          expected_version: 1,
          current_version: 2,
          updated_at: '2026-02-03T04:05:06.000Z',
          updated_by: 'usr_bob',
        });
        expect(await store.readStream('record-r1')).toHaveLength(2);
        expect(await store.lastPosition()).toBe(2);
      });

      it('refuses expected version 0 for a stream that exists', async () => {
        const store = fresh();
        await append(store, [{ stream_id: 's', expected_version: 0, events: [ev('A')] }]);
        expect(
          await errorOf(() =>
            append(store, [{ stream_id: 's', expected_version: 0, events: [ev('B')] }]),
          ),
        ).toMatchObject({ current_version: 1, expected_version: 0 });
      });

      it('refuses expected version 0 for a stream that exists in the middle of a batch, saying who wrote it, and writes nothing of the batch', async () => {
        const store = fresh();
        await append(
          store,
          [
            {
              stream_id: 'record-r2',
              expected_version: 0,
              events: [ev('RecordCreated'), ev('RecordUpdated')],
            },
          ],
          { metadata: { ...META, actor_id: 'usr_bob' }, recorded_at: '2026-02-03T04:05:06.000Z' },
        );
        const before = await snapshot(store, ['record-r1', 'record-r2', 'record-r3']);
        const err = await errorOf(() =>
          append(store, [
            { stream_id: 'record-r1', expected_version: 0, events: [ev('RecordCreated')] },
            { stream_id: 'record-r2', expected_version: 0, events: [ev('RecordCreated')] },
            { stream_id: 'record-r3', expected_version: 0, events: [ev('RecordCreated')] },
          ]),
        );
        expect(err).toBeInstanceOf(WrongExpectedVersionError);
        expect(err).toMatchObject({
          code: 'conflict',
          stream_id: 'record-r2',
          expected_version: 0,
          current_version: 2,
          updated_at: '2026-02-03T04:05:06.000Z',
          updated_by: 'usr_bob',
        });
        expect(await snapshot(store, ['record-r1', 'record-r2', 'record-r3'])).toEqual(before);
        expect(await store.lastPosition()).toBe(2);
      });

      it('refuses a version ahead of a stream that does not exist', async () => {
        const store = fresh();
        const err = await errorOf(() =>
          append(store, [{ stream_id: 's', expected_version: 3, events: [ev('A')] }]),
        );
        expect(err).toBeInstanceOf(WrongExpectedVersionError);
        expect(err).toMatchObject({
          stream_id: 's',
          expected_version: 3,
          current_version: 0,
          updated_at: null,
          updated_by: null,
        });
        expect(await store.lastPosition()).toBe(0);
      });

      it('is atomic across streams: when the second stream is stale, nothing of the first is stored', async () => {
        const store = fresh();
        await append(store, [
          { stream_id: 'record-r2', expected_version: 0, events: [ev('RecordCreated')] },
        ]);
        const before = await snapshot(store, ['record-r1', 'record-r2']);
        const err = await errorOf(() =>
          append(store, [
            { stream_id: 'record-r1', expected_version: 0, events: [ev('RecordCreated')] },
            { stream_id: 'record-r2', expected_version: 0, events: [ev('RecordUpdated')] },
          ]),
        );
        expect(err).toBeInstanceOf(WrongExpectedVersionError);
        expect(err).toMatchObject({ stream_id: 'record-r2', current_version: 1 });
        expect(await snapshot(store, ['record-r1', 'record-r2'])).toEqual(before);
        expect(await store.streamInfo('record-r1')).toEqual({
          version: 0,
          updated_at: null,
          updated_by: null,
        });
        // the failed append left no trace: the next one gets the next position
        const next = await append(store, [
          { stream_id: 'record-r1', expected_version: 0, events: [ev('RecordCreated')] },
        ]);
        expect(next.events.map((e) => [e.position, e.stream_version])).toEqual([[2, 1]]);
      });
    });

    describe('a large append', () => {
      // Hundreds of events across streams in one call, as an import makes.
      const many = (n: number, from = 0): StreamAppend[] =>
        Array.from({ length: n }, (_, k) => ({
          stream_id: `record-r${from + k}`,
          expected_version: 0,
          events: [
            ev('RecordCreated', { k: from + k, text: `row ${from + k}` }),
            ...(k % 7 === 0 ? [ev('RecordUpdated', { k })] : []),
          ],
        }));

      it('stores every event, in order, as the append returned it', async () => {
        const store = fresh();
        await append(store, [
          { stream_id: 'table-t', expected_version: 0, events: [ev('TableCreated')] },
        ]);
        const result = await append(store, many(101));
        const all = await store.readAll();
        expect(all).toHaveLength(1 + 101 + 15);
        expect(all.slice(1)).toEqual(result.events);
        expect(all.map((e) => e.position)).toEqual(all.map((_, i) => i + 1));
        expect(await store.lastPosition()).toBe(117);
        expect((await store.streamInfo('record-r0')).version).toBe(2);
        expect((await store.readStream('record-r100')).map((e) => e.data)).toEqual([
          { k: 100, text: 'row 100' },
        ]);
      });

      it('is atomic: a stale stream near its end leaves none of its events behind', async () => {
        const store = fresh();
        await append(store, [
          { stream_id: 'record-r99', expected_version: 0, events: [ev('RecordCreated')] },
        ]);
        const before = await snapshot(store, ['record-r0', 'record-r99']);
        expect(await errorOf(() => append(store, many(100)))).toBeInstanceOf(
          WrongExpectedVersionError,
        );
        expect(await snapshot(store, ['record-r0', 'record-r99'])).toEqual(before);
      });
    });

    describe('positions', () => {
      it('strictly increase and are contiguous across appends and streams', async () => {
        const store = fresh();
        await append(store, [
          { stream_id: 'a', expected_version: 0, events: [ev('A1'), ev('A2')] },
        ]);
        await append(store, [
          { stream_id: 'b', expected_version: 0, events: [ev('B1')] },
          { stream_id: 'c', expected_version: 0, events: [ev('C1')] },
        ]);
        await append(store, [{ stream_id: 'a', expected_version: 2, events: [ev('A3')] }]);
        const all = await store.readAll();
        expect(all.map((e) => e.position)).toEqual([1, 2, 3, 4, 5]);
        expect(all.map((e) => e.type)).toEqual(['A1', 'A2', 'B1', 'C1', 'A3']);
        expect(await store.lastPosition()).toBe(5);
      });
    });

    describe('reading', () => {
      const filled = async () => {
        const store = fresh();
        await append(store, [
          { stream_id: 'a', expected_version: 0, events: [ev('A1'), ev('A2')] },
        ]);
        await append(store, [{ stream_id: 'b', expected_version: 0, events: [ev('B1')] }]);
        await append(store, [{ stream_id: 'a', expected_version: 2, events: [ev('A3')] }]);
        return store;
      };
      const types = (events: { type: string }[]) => events.map((e) => e.type);

      it('readStream gives one stream in version order, from a version on', async () => {
        const store = await filled();
        expect(types(await store.readStream('a'))).toEqual(['A1', 'A2', 'A3']);
        expect((await store.readStream('a')).map((e) => e.stream_version)).toEqual([1, 2, 3]);
        expect(types(await store.readStream('a', 2))).toEqual(['A2', 'A3']);
        expect(types(await store.readStream('a', 4))).toEqual([]);
        expect(types(await store.readStream('b'))).toEqual(['B1']);
        expect(await store.readStream('nope')).toEqual([]);
      });

      it('readAll gives events after a position, at most limit', async () => {
        const store = await filled();
        expect(types(await store.readAll())).toEqual(['A1', 'A2', 'B1', 'A3']);
        expect(types(await store.readAll(0))).toEqual(['A1', 'A2', 'B1', 'A3']);
        expect(types(await store.readAll(2))).toEqual(['B1', 'A3']);
        expect(types(await store.readAll(1, 2))).toEqual(['A2', 'B1']);
        expect(types(await store.readAll(0, 1))).toEqual(['A1']);
        expect(types(await store.readAll(4))).toEqual([]);
        expect(types(await store.readAll(99))).toEqual([]);
      });
    });

    describe('event ids', () => {
      it('come from the caller, in order', async () => {
        const store = fresh();
        const result = await store.append(
          [
            { stream_id: 'a', expected_version: 0, events: [ev('A1')] },
            { stream_id: 'b', expected_version: 0, events: [ev('B1'), ev('B2')] },
          ],
          options(0, { event_ids: ['evt_x', 'evt_y', 'evt_z'] }),
        );
        expect(result.events.map((e) => e.event_id)).toEqual(['evt_x', 'evt_y', 'evt_z']);
        expect((await store.readAll()).map((e) => e.event_id)).toEqual(['evt_x', 'evt_y', 'evt_z']);
      });

      it('must be supplied for every event; otherwise nothing is stored', async () => {
        const store = fresh();
        await expect(
          store.append(
            [{ stream_id: 'a', expected_version: 0, events: [ev('A1'), ev('A2')] }],
            options(0, { event_ids: ['evt_only_one'] }),
          ),
        ).rejects.toThrow();
        await expect(
          store.append(
            [{ stream_id: 'a', expected_version: 0, events: [ev('A1')] }],
            options(0, { event_ids: [] }),
          ),
        ).rejects.toThrow();
        expect(await store.lastPosition()).toBe(0);
        expect(await store.readStream('a')).toEqual([]);
      });
    });

    describe('hash chain', () => {
      const fill = async (store: EventStore, firstData: unknown) => {
        await store.append(
          [
            {
              stream_id: 'a',
              expected_version: 0,
              events: [ev('A1', firstData), ev('A2', { n: 2 })],
            },
          ],
          options(0, { event_ids: ['evt_1', 'evt_2'] }),
        );
        await store.append(
          [{ stream_id: 'b', expected_version: 0, events: [ev('B1', { n: 3 })] }],
          options(0, { event_ids: ['evt_3'] }),
        );
        await store.append(
          [{ stream_id: 'a', expected_version: 2, events: [ev('A3', { n: 4 })] }],
          options(0, { event_ids: ['evt_4'] }),
        );
        return (await store.readAll()).map((e) => e.hash);
      };

      it('gives every event a distinct, non-empty hash', async () => {
        const hashes = await fill(fresh(), { n: 1 });
        expect(hashes).toHaveLength(4);
        for (const h of hashes) {
          expect(typeof h).toBe('string');
          expect(h.length).toBeGreaterThan(0);
        }
        expect(new Set(hashes).size).toBe(4);
      });

      it('is stable: the same log hashes the same in another store', async () => {
        expect(await fill(fresh(), { n: 1 })).toEqual(await fill(fresh(), { n: 1 }));
      });

      it('is a chain: a different earlier event changes the hash of every later one', async () => {
        const one = await fill(fresh(), { n: 1 });
        const other = await fill(fresh(), { n: 'one' });
        for (let i = 0; i < one.length; i++) expect(other[i]).not.toBe(one[i]);
      });

      it('is what appends return and what reads give', async () => {
        const store = fresh();
        const result = await append(store, [
          { stream_id: 'a', expected_version: 0, events: [ev('A1')] },
        ]);
        expect((await store.readAll())[0].hash).toBe(result.events[0].hash);
        expect((await store.readStream('a'))[0].hash).toBe(result.events[0].hash);
      });
    });
  });
}

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openCore } from '../support/core-handles';
import { dumpReadModels } from '../support/read-models';
import { startServer, type ServerProcess } from '../support/server-process';

/**
 * kill -9 in the middle of a write burst from several clients, restart, and check that every
 * acknowledged write is there exactly once, that the log is intact and that a rebuild of the read
 * models equals the live ones. CRM_CRASH_ITERATIONS sets how often (default 20, what CI runs).
 */
const ITERATIONS = Number(process.env.CRM_CRASH_ITERATIONS ?? 20);
/** A restart and a burst take about a second each round; the rest is the checks at the end. */
const TIMEOUT_MS = ITERATIONS * 10_000 + 60_000;
const CLIENTS = 6;

interface Ack {
  record_id: string;
  owner: string;
  key: string;
}

describe('crash during a write burst', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'crm-crash-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it(
    `keeps every acknowledged write exactly once across ${ITERATIONS} kill -9 restarts`,
    async () => {
      const acks: Ack[] = [];
      let seq = 0;
      for (let round = 0; round < ITERATIONS; round++) {
        const server = await startServer(dir);
        const ids = await schema(server);
        let stop = false;
        const client = async (c: number) => {
          while (!stop) {
            const n = ++seq;
            const record_id = `rec${String(n).padStart(14, '0')}`;
            const owner = `owner-${round}-${c}-${n}`;
            const key = `crash-${round}-${c}-${n}`;
            try {
              const res = await fetch(`${server.url}/api/fundraising/changes`, {
                method: 'POST',
                headers: {
                  'Content-Type': 'application/json',
                  'Idempotency-Key': key,
                  ...(server.auth ? { Authorization: server.auth } : {}),
                },
                body: JSON.stringify({
                  changes: [
                    {
                      op: 'create',
                      table_id: ids.table,
                      record_id,
                      values: { [ids.name]: `LP ${n}` },
                    },
                    { op: 'set', record_id, field_id: ids.owner, from: null, to: owner },
                  ],
                }),
              });
              if (res.status === 200) acks.push({ record_id, owner, key });
              else if (res.status >= 500)
                throw new Error(`server answered ${res.status}: ${await res.text()}`);
            } catch (e) {
              // fetch rejects only on network failure: the server is being killed; this write is unacknowledged.
              if ((e as Error).message === 'fetch failed') return;
              throw e;
            }
          }
        };
        const running = Array.from({ length: CLIENTS }, (_, c) => client(c));
        await new Promise((r) => setTimeout(r, 150 + Math.floor(Math.random() * 600)));
        await server.kill9();
        stop = true;
        await Promise.all(running);
      }
      expect(acks.length).toBeGreaterThan(ITERATIONS * 5);

      // Restart once more: the server must come up ready on what the crashes left.
      // Its processors catch up on the writes of the last rounds after it listens: ready may take
      // a moment, never long, and a failed processor never becomes ready.
      const server = await startServer(dir);
      try {
        const ready = await waitUntilReady(server.url, 20_000);
        expect(ready).toEqual({ status: 200, body: expect.objectContaining({ status: 'ready' }) });
      } finally {
        await server.stop();
      }

      const db = new Database(join(dir, 'crm.sqlite'), { readonly: true });
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(db.pragma('foreign_key_check')).toEqual([]);
      const created = db.prepare(
        "SELECT COUNT(*) AS n FROM events WHERE stream_id = ? AND type = 'RecordCreated'",
      );
      const owner = db.prepare(
        "SELECT json_extract(values_json, '$.' || ?) AS owner FROM fundraising_records WHERE id = ?",
      );
      const ownerField = db
        .prepare("SELECT fields FROM fundraising_tables WHERE role = 'investors'")
        .get() as { fields: string };
      const ownerId = (JSON.parse(ownerField.fields) as { id: string; role: string }[]).find(
        (f) => f.role === 'investor.notes',
      )!.id;
      for (const a of acks) {
        expect((created.get(`record-${a.record_id}`) as { n: number }).n).toBe(1);
        expect(owner.get(ownerId, a.record_id)).toEqual({ owner: a.owner });
      }
      // Positions have no gaps and every stream's versions are contiguous.
      const { n, max } = db
        .prepare('SELECT COUNT(*) AS n, MAX(position) AS max FROM events')
        .get() as { n: number; max: number };
      expect(n).toBe(max);
      const gaps = db
        .prepare(
          'SELECT stream_id FROM events GROUP BY stream_id HAVING MAX(stream_version) <> COUNT(*)',
        )
        .all();
      expect(gaps).toEqual([]);
      // An unacknowledged batch is all or nothing: no record was created without its owner cell.
      const half = db
        .prepare(
          "SELECT COUNT(*) AS n FROM fundraising_records r WHERE r.id LIKE 'rec0%' AND json_extract(values_json, '$.' || ?) IS NULL",
        )
        .get(ownerId) as { n: number };
      expect(half.n).toBe(0);
      db.close();

      const core = await openCore({ databaseFile: join(dir, 'crm.sqlite'), seed: false });
      const live = dumpReadModels(core.db);
      await core.runner.rebuild();
      expect(dumpReadModels(core.db)).toBe(live);
      await core.close();
    },
    TIMEOUT_MS,
  );
});

/** Polls /api/ready until it answers 200 or the time is up; the last answer either way. */
async function waitUntilReady(url: string, ms: number) {
  const deadline = Date.now() + ms;
  for (;;) {
    const res = await fetch(`${url}/api/ready`);
    const answer = { status: res.status, body: (await res.json()) as unknown };
    if (res.status === 200 || Date.now() > deadline) return answer;
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function schema(server: ServerProcess) {
  const res = await fetch(`${server.url}/api/fundraising/state`, {
    headers: server.auth ? { Authorization: server.auth } : {},
  });
  const state = (await res.json()) as {
    tables: { id: string; role: string; fields: { id: string; role: string }[] }[];
  };
  const inv = state.tables.find((t) => t.role === 'investors')!;
  return {
    table: inv.id,
    name: inv.fields.find((f) => f.role === 'investor.name')!.id,
    owner: inv.fields.find((f) => f.role === 'investor.notes')!.id,
  };
}

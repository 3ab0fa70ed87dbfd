import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ServerProcess, startServer } from '../support/server-process';
import { type BaseIds, investorIds } from '../support/write-burst';

/** Starting a server and filling a table takes seconds; the default 5 s is for unit tests. */
const TIMEOUT_MS = 120_000;
const RECORDS = 1_000;
/** Regex replace over a long REPT: tens of milliseconds a record before its work was bounded. */
const COSTLY = 'LEN(REGEX_REPLACE(REPT({Name}, 400), "[a-z]", "x"))';

const percentile = (list: number[], p: number) =>
  [...list].sort((a, b) => a - b)[Math.min(list.length - 1, Math.floor(list.length * p))];

/** Two other people editing cells, each one edit after the other, and a health probe, until stopped. */
function othersAtWork(server: ServerProcess, ids: BaseIds, recordIds: string[]) {
  let stopped = false;
  const edits: number[] = [];
  const health: number[] = [];
  const failures: string[] = [];
  const headers = { 'Content-Type': 'application/json', Authorization: server.auth };
  const editor = async (first: number) => {
    for (let n = first; !stopped; n += 2) {
      const t0 = performance.now();
      const res = await fetch(`${server.url}/api/fundraising/changes`, {
        method: 'POST',
        headers,
        body: JSON.stringify({
          changes: [
            {
              op: 'set',
              record_id: recordIds[(n * 37) % recordIds.length],
              field_id: ids.notes,
              to: `edit ${n}`,
            },
          ],
        }),
      });
      await res.arrayBuffer();
      edits.push(performance.now() - t0);
      if (res.status !== 200) failures.push(`edit → ${res.status}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  const editors = [editor(0), editor(1)];
  const prober = (async () => {
    while (!stopped) {
      const t0 = performance.now();
      const res = await fetch(`${server.url}/api/health`);
      await res.arrayBuffer();
      health.push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, 10));
    }
  })();
  return {
    stop: async () => {
      stopped = true;
      await Promise.all([...editors, prober]);
      return {
        failures,
        edits: edits.length,
        editP99: percentile(edits, 0.99),
        healthMax: Math.max(...health),
        healthP99: percentile(health, 0.99),
      };
    },
  };
}

/**
 * A member adds a formula that costs little on one record and a great deal on a whole table:
 * the field add is refused with a 400 that says why, and nobody else's request waits meanwhile.
 */
describe('a costly formula on a 1,000-record table', () => {
  let dir: string;
  let server: ServerProcess;
  let ids: BaseIds;
  const recordIds = Array.from(
    { length: RECORDS },
    (_, i) => `reccost${String(i).padStart(10, '0')}`,
  );

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'crm-formula-'));
    server = await startServer(join(dir, 'live'), {
      CRM_BACKUP_SCHEDULER: 'off',
      CRM_RATE_LIMIT_WRITES_PER_MINUTE: '1000000',
    });
    ids = await investorIds(server);
    const res = await fetch(`${server.url}/api/fundraising/changes`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: server.auth },
      body: JSON.stringify({
        changes: recordIds.map((record_id, i) => ({
          op: 'create',
          table_id: ids.table,
          record_id,
          values: { [ids.name]: `LP ${i} alpha partners` },
        })),
      }),
    });
    expect(res.status).toBe(200);
  }, TIMEOUT_MS);
  afterAll(async () => {
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, TIMEOUT_MS);

  const addFormula = async (name: string, formula: string) => {
    const res = await fetch(`${server.url}/api/fundraising/tables/${ids.table}/fields`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: server.auth },
      body: JSON.stringify({ name, type: 'formula', options: { formula } }),
    });
    return {
      status: res.status,
      body: (await res.json()) as {
        message?: string;
        details?: Record<string, unknown>;
        id?: string;
      },
    };
  };

  /**
   * The other clients' latencies over 3 s, with `act` done after the first half second. The targets
   * are an edit p99 of 50 ms and no pause of the event loop past 100 ms; on a machine shared with
   * other work (fsyncs of other processes, no free core) the same 3 s without `act` may already be
   * slower, and then the bar is that `act` adds nothing noticeable to that run's own noise (three
   * times it, since one slow fsync of another process already moves a p99 that much). The runs
   * without `act` are taken before and after it, and the slower of the two is the bar: a neighbour's
   * burst of work that starts during `act` (another suite, when two run at once) then shows in the
   * run after it as well. A stall (the whole table recomputed in the request) is seconds, far past
   * either.
   */
  async function expectNoStall<T>(
    act: () => Promise<T>,
    limits = { editP99: 50, pause: 100 },
  ): Promise<T> {
    const measure = async (during?: () => Promise<T>) => {
      const others = othersAtWork(server, ids, recordIds);
      await new Promise((r) => setTimeout(r, 500));
      const result = during ? await during() : undefined;
      await new Promise((r) => setTimeout(r, 2_500));
      return { result, seen: await others.stop() };
    };
    const before = (await measure()).seen;
    const { result, seen } = await measure(act);
    const after = (await measure()).seen;
    expect(seen.failures).toEqual([]);
    expect(seen.edits).toBeGreaterThan(100);
    const quietP99 = Math.max(before.editP99, after.editP99);
    expect(seen.editP99).toBeLessThanOrEqual(Math.max(limits.editP99, 3 * quietP99));
    // The longest pause of the server's event loop, as a health probe sees it.
    const quietPause = Math.max(before.healthMax, after.healthMax);
    expect(seen.healthMax).toBeLessThanOrEqual(Math.max(limits.pause, 3 * quietPause));
    return result as T;
  }

  it(
    'refuses the field with a clear 400 while another client edits at its usual speed',
    async () => {
      // As the formula editor does before saving: its preview on one record (which also warms the code up).
      const preview = await fetch(`${server.url}/api/fundraising/formula/evaluate`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: server.auth },
        body: JSON.stringify({ formula: COSTLY, table_id: ids.table, record_id: recordIds[0] }),
      });
      expect(preview.status).toBe(200);
      const added = await expectNoStall(() => addFormula('Costly', COSTLY));

      expect(added.status).toBe(400);
      expect(added.body.message).toMatch(
        /^field "Costly": this formula needs too much work to compute for all 1,000 records/,
      );
      expect(added.body.details).toMatchObject({
        reason: 'formula_too_costly',
        option: 'formula',
        records: RECORDS,
      });
      // Nothing was added.
      const state = (await (
        await fetch(`${server.url}/api/fundraising/state`, {
          headers: { Authorization: server.auth },
        })
      ).json()) as { tables: { id: string; fields: { name: string }[] }[] };
      expect(state.tables.find((t) => t.id === ids.table)!.fields.map((f) => f.name)).not.toContain(
        'Costly',
      );
    },
    TIMEOUT_MS,
  );

  it(
    'adds a cheap formula at once, computed for every record, with edits at their usual speed',
    async () => {
      // Writing the new values of 1,000 records is done in the request (about 25 ms on a quiet machine):
      // the bar here is that nothing stalls.
      const added = await expectNoStall(() => addFormula('Name length', 'LEN({Name}) * 2'), {
        editP99: 100,
        pause: 500,
      });

      expect(added.status).toBe(201);
      const page = (await (
        await fetch(`${server.url}/api/fundraising/tables/${ids.table}/records?limit=10000`, {
          headers: { Authorization: server.auth },
        })
      ).json()) as { records: { id: string; values: Record<string, unknown> }[] };
      const ours = page.records.filter((r) => recordIds.includes(r.id));
      expect(ours).toHaveLength(RECORDS);
      for (const r of ours)
        expect(JSON.stringify(r)).toContain(
          `"${added.body.id}":${String(r.values[ids.name]).length * 2}`,
        );
    },
    TIMEOUT_MS,
  );
});

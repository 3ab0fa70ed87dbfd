import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { startServer, type ServerProcess } from '../support/server-process';

/**
 * kill -9 while a processor is reacting, restart, and check that every reaction happened exactly
 * once. The processor (test/fault/support/reacting-server.js) creates one follow-up contact per
 * investor created; its checkpoint is saved at most once a second, so every restart redelivers
 * events whose reactions had already committed, and only the idempotency key keeps them single.
 * CRM_PROCESSOR_CRASH_ITERATIONS sets how often (default 5).
 */
const ITERATIONS = Number(process.env.CRM_PROCESSOR_CRASH_ITERATIONS ?? 5);
const TIMEOUT_MS = ITERATIONS * 15_000 + 60_000;
const REACTING_MAIN = join(__dirname, 'support', 'reacting-server.js');
const PROCESSOR = 'follow-up-contacts';
const PER_ROUND = 500;

interface ProcessorRow {
  name: string;
  checkpoint: number;
  lag: number;
  status: string;
}

async function api<T>(server: ServerProcess, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${server.url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: server.auth },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${path} answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
}

const processor = async (server: ServerProcess) =>
  (await api<{ processors: ProcessorRow[] }>(server, '/api/admin/processors')).processors.find(
    (p) => p.name === PROCESSOR,
  )!;

async function investorsTable(server: ServerProcess) {
  const state = await api<{
    tables: { id: string; role: string; fields: { id: string; role: string }[] }[];
  }>(server, '/api/fundraising/state');
  const inv = state.tables.find((t) => t.role === 'investors')!;
  return { id: inv.id, name: inv.fields.find((f) => f.role === 'investor.name')!.id };
}

describe('crash while a processor reacts', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'crm-processor-crash-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it(
    `reacts to every event exactly once across ${ITERATIONS} kill -9 restarts`,
    async () => {
      let created = 0;
      let killedMidReaction = 0;
      for (let round = 0; round < ITERATIONS; round++) {
        const server = await startServer(dir, {}, REACTING_MAIN);
        const table = await investorsTable(server);
        const changes = Array.from({ length: PER_ROUND }, (_, i) => ({
          op: 'create',
          table_id: table.id,
          values: { [table.name]: `LP ${round}-${i}` },
        }));
        await api(server, '/api/fundraising/changes', { changes }).catch((e: Error) => {
          throw new Error(`${e.message}\n${server.output()}`);
        });
        created += PER_ROUND;
        // Kill once the processor has reacted to a random share of the batch, with more to go. (Its
        // lag says nothing here: each reaction appends an event, so the head moves with it.)
        const share = 0.05 + Math.random() * 0.5;
        const start = (await processor(server)).checkpoint;
        for (const deadline = Date.now() + 60_000; ;) {
          const p = await processor(server);
          if (p.lag === 0) break;
          if (p.status !== 'running' || Date.now() > deadline)
            throw new Error(`the processor stopped: ${JSON.stringify(p)}\n${server.output()}`);
          if (p.checkpoint - start >= share * PER_ROUND) {
            killedMidReaction++;
            break;
          }
        }
        await server.kill9();
      }
      expect(killedMidReaction).toBeGreaterThan(0);

      // Restart once more and let the processor finish what the crashes left.
      const server = await startServer(dir, {}, REACTING_MAIN);
      for (let p = await processor(server); p.lag > 0; p = await processor(server))
        if (p.status !== 'running')
          throw new Error(`the processor stopped: ${JSON.stringify(p)}\n${server.output()}`);
      await server.stop();

      const db = new Database(join(dir, 'crm.sqlite'), { readonly: true });
      const investors = db
        .prepare("SELECT id FROM fundraising_tables WHERE role = 'investors'")
        .pluck()
        .get() as string;
      const causes = db
        .prepare(
          "SELECT event_id FROM events WHERE type = 'RecordCreated' AND json_extract(data, '$.table_id') = ?",
        )
        .pluck()
        .all(investors) as string[];
      const reactions = new Map(
        (
          db
            .prepare(
              'SELECT causation_id, COUNT(*) AS n FROM events WHERE causation_id IS NOT NULL GROUP BY causation_id',
            )
            .all() as { causation_id: string; n: number }[]
        ).map((r) => [r.causation_id, r.n]),
      );
      db.close();
      expect(causes).toHaveLength(created);
      const notOnce = causes.filter((id) => reactions.get(id) !== 1);
      expect({ notOnce, reactions: reactions.size }).toEqual({ notOnce: [], reactions: created });
    },
    TIMEOUT_MS,
  );
});

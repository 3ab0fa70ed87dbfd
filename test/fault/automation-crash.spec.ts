import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { startServer, type ServerProcess } from '../support/server-process';

/**
 * kill -9 while the automations processor runs a rule, restart, and check that every triggering
 * event got exactly one run and one effect. The processor's checkpoint is saved at most once a
 * second, so every restart redelivers events whose runs had already committed; only the run's
 * stream, keyed by (rule, event), keeps them single.
 */
const ITERATIONS = Number(process.env.CRM_AUTOMATION_CRASH_ITERATIONS ?? 3);
const TIMEOUT_MS = ITERATIONS * 20_000 + 60_000;
const PER_ROUND = 300;

async function api<T>(
  server: ServerProcess,
  path: string,
  body?: unknown,
  method = body === undefined ? 'GET' : 'POST',
): Promise<T> {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { 'Content-Type': 'application/json', Authorization: server.auth },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${path} answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
}

const automations = async (server: ServerProcess) =>
  (
    await api<{ processors: { name: string; checkpoint: number; lag: number; status: string }[] }>(
      server,
      '/api/admin/processors',
    )
  ).processors.find((p) => p.name === 'automations')!;

async function investorsTable(server: ServerProcess) {
  const state = await api<{
    tables: { id: string; role: string; fields: { id: string; role: string }[] }[];
  }>(server, '/api/fundraising/state');
  const inv = state.tables.find((t) => t.role === 'investors')!;
  return { id: inv.id, name: inv.fields.find((f) => f.role === 'investor.name')!.id };
}

describe('crash while a rule runs', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'crm-automation-crash-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it(
    `runs the rule once per new investor across ${ITERATIONS} kill -9 restarts`,
    async () => {
      let created = 0;
      let killedMidRun = 0;
      for (let round = 0; round < ITERATIONS; round++) {
        const server = await startServer(dir, {});
        const table = await investorsTable(server);
        if (round === 0)
          await api(server, '/api/automations', {
            name: 'New investors go to Main',
            trigger: { type: 'record_created', table_id: table.id },
            conditions: null,
            actions: [{ type: 'set_membership', list: 'main', op: 'add' }],
            enabled: true,
          });
        const changes = Array.from({ length: PER_ROUND }, (_, i) => ({
          op: 'create',
          table_id: table.id,
          values: { [table.name]: `LP ${round}-${i}` },
        }));
        await api(server, '/api/fundraising/changes', { changes });
        created += PER_ROUND;
        const share = 0.05 + Math.random() * 0.5;
        const start = (await automations(server)).checkpoint;
        for (const deadline = Date.now() + 60_000; ;) {
          const p = await automations(server);
          if (p.lag === 0) break;
          if (p.status !== 'running' || Date.now() > deadline)
            throw new Error(`the processor stopped: ${JSON.stringify(p)}\n${server.output()}`);
          if (p.checkpoint - start >= share * PER_ROUND) {
            killedMidRun++;
            break;
          }
        }
        await server.kill9();
      }
      expect(killedMidRun).toBeGreaterThan(0);

      const server = await startServer(dir, {});
      for (let p = await automations(server); p.lag > 0; p = await automations(server))
        if (p.status !== 'running')
          throw new Error(`the processor stopped: ${JSON.stringify(p)}\n${server.output()}`);
      await server.stop();

      const db = new Database(join(dir, 'crm.sqlite'), { readonly: true });
      const causes = db
        .prepare(
          `SELECT event_id FROM events WHERE type = 'RecordCreated'
           AND json_extract(data, '$.table_id') = (SELECT id FROM fundraising_tables WHERE role = 'investors')`,
        )
        .pluck()
        .all() as string[];
      const count = (type: string) =>
        new Map(
          (
            db
              .prepare(
                `SELECT causation_id, COUNT(*) AS n FROM events WHERE type = ? GROUP BY causation_id`,
              )
              .all(type) as { causation_id: string; n: number }[]
          ).map((r) => [r.causation_id, r.n]),
        );
      const started = count('AutomationRunStarted');
      const added = count('MembershipAdded');
      const members = db.prepare(`SELECT COUNT(*) FROM fundraising_memberships`).pluck().get();
      db.close();
      expect(causes).toHaveLength(created);
      const notOnce = causes.filter((id) => started.get(id) !== 1 || added.get(id) !== 1);
      expect({ notOnce, members }).toEqual({ notOnce: [], members: created });
    },
    TIMEOUT_MS,
  );
});

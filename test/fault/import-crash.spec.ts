import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SLICE_RECORDS } from '../../apps/api/src/capabilities/imports/import-writer';
import { startServer, type ServerProcess } from '../support/server-process';

/**
 * kill -9 while a large import is being written (after its first slice committed), restart, and
 * check that the server finishes it on its own: every row exactly once, one correlation, and the
 * session committed. Killed twice: once while writing, once more while finishing after the restart.
 */
const ROWS = SLICE_RECORDS * 60 + 3;
const SLICES = Math.ceil(ROWS / SLICE_RECORDS);

interface Session {
  id: string;
  status: string;
  table_id: string;
  progress: { phase: string; done: number; total: number | null };
  result: { created: number; correlation_id: string } | null;
  failure: unknown;
}

async function api<T>(server: ServerProcess, path: string, init: RequestInit = {}): Promise<T> {
  const res = await fetch(`${server.url}${path}`, {
    ...init,
    headers: { Authorization: server.auth, ...init.headers },
  });
  if (!res.ok) throw new Error(`${path} answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
}

async function upload(server: ServerProcess): Promise<Session> {
  const lines = Array.from({ length: ROWS }, (_, i) => `LP ${i},lp${i}@fund.example,${i * 1000}`);
  const form = new FormData();
  form.append('new_table_name', 'Crash LPs');
  form.append('file', new Blob([`Name,Email,Ticket\n${lines.join('\n')}\n`]), 'lps.csv');
  return api<Session>(server, '/api/fundraising/imports', { method: 'POST', body: form });
}

/**
 * Polls until at least one slice and at most all but two are written; false when it ended first.
 * `inPart`: until a slice is half-written, in parts (the progress counts its parts written).
 */
async function midWrite(server: ServerProcess, id: string, inPart = false): Promise<boolean> {
  for (;;) {
    const s = await api<Session>(server, `/api/fundraising/imports/${id}`);
    if (s.status === 'committed') return false;
    const { phase, done, total } = s.progress;
    if (inPart && done % SLICE_RECORDS === 0) continue;
    if (phase === 'writing' && done >= SLICE_RECORDS && total !== null)
      return done <= total - 2 * SLICE_RECORDS;
  }
}

describe('crash while an import is written', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'crm-import-crash-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('finishes the import after a restart, every row exactly once', async () => {
    await crashTwiceAndCheck(dir, false);
  }, 120_000);

  it('finishes it exactly once too when it was written in parts, beside others editing', async () => {
    await crashTwiceAndCheck(join(dir, 'busy'), true);
  }, 120_000);
});

/**
 * Someone creating investors one after another until stopped (or until the server is killed under
 * them): with others writing, the import writes its slices in parts.
 */
function keepEditing(server: ServerProcess): { stop(): Promise<number> } {
  let going = true;
  const done = (async () => {
    const state = await api<{
      tables: { id: string; role: string; fields: { id: string; role: string }[] }[];
    }>(server, '/api/fundraising/state');
    const inv = state.tables.find((t) => t.role === 'investors')!;
    const name = inv.fields.find((f) => f.role === 'investor.name')!.id;
    let n = 0;
    while (going) {
      const body = {
        changes: [{ op: 'create', table_id: inv.id, values: { [name]: `Busy ${n}` } }],
      };
      try {
        await api(server, '/api/fundraising/changes', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify(body),
        });
        n++;
      } catch {
        return n; // killed under us
      }
    }
    return n;
  })();
  return {
    stop: () => {
      going = false;
      return done;
    },
  };
}

async function crashTwiceAndCheck(dir: string, busy: boolean): Promise<void> {
  mkdirSync(dir, { recursive: true });
  // A steady editor writes far more than a person: the write rate limit would stop it half-way.
  const env = busy ? { CRM_RATE_LIMIT_WRITES_PER_MINUTE: '1000000' } : {};
  let server = await startServer(dir, env);
  let editing = busy ? keepEditing(server) : null;
  const session = await upload(server);
  await api(server, `/api/fundraising/imports/${session.id}/commit`, {
    method: 'POST',
    headers: { Prefer: 'respond-async' },
  });
  // Beside the editor, killed half-way through a slice written in parts.
  expect(await midWrite(server, session.id, busy)).toBe(true);
  await server.kill9();
  await editing?.stop();

  server = await startServer(dir, env);
  editing = busy ? keepEditing(server) : null;
  // The restarted server may finish before it is seen writing: then it is killed after.
  await midWrite(server, session.id);
  await server.kill9();
  await editing?.stop();

  server = await startServer(dir, env);
  editing = busy ? keepEditing(server) : null;
  let s = await api<Session>(server, `/api/fundraising/imports/${session.id}`);
  while (s.status !== 'committed') {
    if (s.failure) throw new Error(`the import failed: ${JSON.stringify(s.failure)}`);
    s = await api<Session>(server, `/api/fundraising/imports/${session.id}`);
  }
  await editing?.stop();
  await server.stop();
  expect(s.result).toMatchObject({ created: ROWS });

  const db = new Database(join(dir, 'crm.sqlite'), { readonly: true });
  const created = db
    .prepare(
      "SELECT COUNT(*) AS n, COUNT(DISTINCT stream_id) AS streams, COUNT(DISTINCT json_extract(metadata, '$.correlation_id')) AS batches FROM events WHERE type = 'RecordCreated' AND json_extract(data, '$.table_id') = ?",
    )
    .get(session.table_id);
  const lines = db
    .prepare(
      "SELECT COUNT(DISTINCT json_extract(data, '$.provenance.line')) FROM events WHERE type = 'RecordCreated' AND json_extract(data, '$.table_id') = ?",
    )
    .pluck()
    .get(session.table_id);
  const staged = db.prepare('SELECT COUNT(*) FROM import_slices').pluck().get();
  const keys = db
    .prepare("SELECT key FROM idempotency_keys WHERE key LIKE 'import:' || ? || ':%'")
    .pluck()
    .all(session.id) as string[];
  db.close();
  expect({ created, lines, staged, keys: slicesWritten(keys, busy) }).toEqual({
    created: { n: ROWS, streams: ROWS, batches: 1 },
    lines: ROWS,
    staged: 0,
    keys: SLICES,
  });
}

/**
 * The slices the keys say were written: each either whole (`import:<id>:<slice>`) or in parts
 * (`import:<id>:<slice>:<part>`, numbered from 0 without a gap). Beside others editing, some must
 * have been written in parts.
 */
function slicesWritten(keys: string[], busy: boolean): number {
  const slices = new Map<string, number[]>();
  for (const key of keys) {
    const [, , slice, part] = key.split(':');
    slices.set(slice, [...(slices.get(slice) ?? []), part === undefined ? -1 : Number(part)]);
  }
  let inParts = 0;
  for (const [slice, parts] of slices) {
    if (parts.length === 1 && parts[0] === -1) continue;
    inParts++;
    const sorted = [...parts].sort((a, b) => a - b);
    if (sorted.some((p, i) => p !== i))
      throw new Error(`slice ${slice} has parts ${sorted.join()}`);
  }
  if (busy && inParts === 0) throw new Error('no slice was written in parts');
  return slices.size;
}

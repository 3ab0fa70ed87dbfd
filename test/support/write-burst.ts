import type Database from 'better-sqlite3';
import { type ServerProcess } from './server-process';

export interface Ack {
  record_id: string;
  name: string;
  key: string;
  /** The log position the server answered with. */
  version: number;
  /** When the acknowledgement arrived (ms since the epoch). */
  at: number;
}

export interface BaseIds {
  table: string;
  name: string;
  notes: string;
}

export async function investorIds(server: ServerProcess): Promise<BaseIds> {
  const res = await fetch(`${server.url}/api/fundraising/state`, {
    headers: server.auth ? { Authorization: server.auth } : {},
  });
  const state = (await res.json()) as {
    tables: { id: string; role: string; fields: { id: string; role: string }[] }[];
  };
  const inv = state.tables.find((t) => t.role === 'investors')!;
  const f = (role: string) => inv.fields.find((x) => x.role === role)!.id;
  return { table: inv.id, name: f('investor.name'), notes: f('investor.notes') };
}

let serial = 0;

/**
 * Several clients creating investors as fast as the server answers, each request with its own
 * Idempotency-Key. Every 2xx goes in the ledger; `stop()` ends the burst and resolves to the answers
 * that were not 2xx (by status) so a test can assert what failures looked like.
 */
export function writeBurst(
  server: ServerProcess,
  ids: BaseIds,
  o: { clients: number; notes?: (n: number) => string; tag: string },
) {
  const acks: Ack[] = [];
  const refused: { status: number; body: string }[] = [];
  let stopped = false;
  const client = async (c: number) => {
    while (!stopped) {
      const n = ++serial;
      const record_id = `rec${o.tag.slice(0, 4).padEnd(4, 'x')}${String(n).padStart(10, '0')}`;
      const name = `LP ${o.tag} ${c} ${n}`;
      const key = `burst-${o.tag}-${n}`;
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
                values: { [ids.name]: name, ...(o.notes ? { [ids.notes]: o.notes(n) } : {}) },
              },
            ],
          }),
        });
        const text = await res.text();
        if (res.status === 200)
          acks.push({
            record_id,
            name,
            key,
            version: (JSON.parse(text) as { version: number }).version,
            at: Date.now(),
          });
        else refused.push({ status: res.status, body: text });
      } catch (e) {
        if ((e as Error).message === 'fetch failed') return;
        throw e;
      }
    }
  };
  const running = Array.from({ length: o.clients }, (_, c) => client(c));
  return {
    acks,
    refused,
    stop: async () => {
      stopped = true;
      await Promise.all(running);
    },
  };
}

/** Each acknowledged create is in the log exactly once, and in the read model with its name. */
export function assertAcknowledged(db: Database.Database, acks: Ack[]): void {
  const created = db.prepare(
    "SELECT COUNT(*) AS n FROM events WHERE stream_id = ? AND type = 'RecordCreated'",
  );
  const row = db.prepare('SELECT values_json FROM fundraising_records WHERE id = ?');
  const missing: string[] = [];
  for (const a of acks) {
    const n = (created.get(`record-${a.record_id}`) as { n: number }).n;
    const r = row.get(a.record_id) as { values_json: string } | undefined;
    if (n !== 1 || !r || !Object.values(JSON.parse(r.values_json)).includes(a.name))
      missing.push(`${a.record_id} (${n} events)`);
  }
  if (missing.length)
    throw new Error(
      `${missing.length} acknowledged writes are not there exactly once: ${missing.slice(0, 5).join(', ')}`,
    );
}

/** Positions have no gaps and every stream's versions run 1..n. */
export function assertContiguous(db: Database.Database): void {
  const { n, max } = db
    .prepare('SELECT COUNT(*) AS n, COALESCE(MAX(position), 0) AS max FROM events')
    .get() as { n: number; max: number };
  if (n !== max) throw new Error(`the log has ${n} events but its last position is ${max}`);
  const gaps = db
    .prepare(
      'SELECT stream_id FROM events GROUP BY stream_id HAVING MAX(stream_version) <> COUNT(*) LIMIT 5',
    )
    .all();
  if (gaps.length) throw new Error(`streams with gaps: ${JSON.stringify(gaps)}`);
}

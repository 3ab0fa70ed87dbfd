import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type TestApp } from './test-app';

export const fixture = (name: string): Buffer =>
  readFileSync(join(__dirname, '../fixtures/imports', name));

/** POST /imports as multipart, the way the wizard sends a dropped file. */
export function upload(
  t: TestApp,
  file: Buffer,
  fields: Record<string, string>,
  name = 'investors.csv',
  as = t.http(),
) {
  let req = as.post('/api/fundraising/imports');
  for (const [k, v] of Object.entries(fields)) req = req.field(k, v);
  return req.attach('file', file, name);
}

export async function uploadOk(
  t: TestApp,
  file: Buffer,
  fields: Record<string, string>,
  name = 'investors.csv',
) {
  const res = await upload(t, file, fields, name);
  if (res.status !== 201)
    throw new Error(`upload answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
}

export async function commitOk(t: TestApp, id: string) {
  const res = await t.http().post(`/api/fundraising/imports/${id}/commit`);
  if (res.status !== 200)
    throw new Error(`commit answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body as {
    import_id: string;
    created: number;
    updated: number;
    unchanged: number;
    skipped_rows: number;
    version: number;
    correlation_id: string;
  };
}

export async function tableRecords(t: TestApp, tableId: string) {
  const res = await t.http().get('/api/fundraising/state').expect(200);
  const table = (
    res.body.tables as {
      id: string;
      fields: { id: string; name: string; type: string; options: Record<string, unknown> }[];
      records: { id: string; values: Record<string, unknown> }[];
    }[]
  ).find((x) => x.id === tableId)!;
  const field = (name: string) => table.fields.find((f) => f.name === name)!;
  const byName = (name: string) =>
    table.records.find(
      (r) => r.values[table.fields[0].id] === name || Object.values(r.values).includes(name),
    )!;
  const value = (recordName: string, fieldName: string) =>
    byName(recordName).values[field(fieldName).id];
  return { table, field, byName, value };
}

'use strict';
/** The import API as the wizard calls it, for the benchmarks. */

/** POST /api/fundraising/imports with the file (text or a Blob) as multipart; throws unless the session was made. */
async function uploadImport(server, file, fields, name = 'airtable-investors.csv') {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  form.append('file', file instanceof Blob ? file : new Blob([file], { type: 'text/csv' }), name);
  const res = await fetch(`${server.url}/api/fundraising/imports`, {
    method: 'POST',
    headers: server.headers,
    body: form,
  });
  const body = await res.json();
  if (res.status !== 201 && res.status !== 200)
    throw new Error(`upload answered ${res.status}: ${JSON.stringify(body).slice(0, 500)}`);
  return body;
}

/** POST /api/fundraising/imports/:id/commit: its status and answer, for the caller to judge. */
async function commitImport(server, id) {
  const res = await fetch(`${server.url}/api/fundraising/imports/${id}/commit`, {
    method: 'POST',
    headers: server.headers,
  });
  return { status: res.status, body: await res.json() };
}

module.exports = { uploadImport, commitImport };

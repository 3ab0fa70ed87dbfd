'use strict';
/**
 * `npm run build:server`: the libraries and migrations first, then the OpenAPI metadata (which reads
 * the API's sources against the libraries' built declarations: before they exist, a type the API
 * takes from a library, such as a token's scope, reads as a plain object), then the API. Each step
 * is `tsc -b`, a no-op when nothing changed. The specs that build the server when Jest runs alone
 * call this too.
 */
const { execFileSync } = require('node:child_process');
const path = require('node:path');

const ROOT = path.join(__dirname, '..', '..', '..');
const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const run = (args) => execFileSync(process.execPath, args, { cwd: ROOT, stdio: 'inherit' });

function buildServer() {
  run([tsc, '-b', 'libs/events', 'libs/domain', 'libs/contracts', 'migrations']);
  run([path.join(__dirname, 'openapi-metadata.js')]);
  run([tsc, '-b', 'tsconfig.build.json']);
}

module.exports = { buildServer };

if (require.main === module) buildServer();

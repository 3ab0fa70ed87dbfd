'use strict';
/**
 * `npm start` builds the web app only when one of its inputs changed since the last build: a SHA-256
 * over the content of every input file (not their times, which a checkout or a copy changes), kept in
 * dist/.build-fingerprint after a successful build. A full `npm run build` always rebuilds.
 */
const { createHash } = require('node:crypto');
const { execFileSync } = require('node:child_process');
const { existsSync, readdirSync, readFileSync, statSync, writeFileSync } = require('node:fs');
const path = require('node:path');

const WEB = path.join(__dirname, '..');
const ROOT = path.join(WEB, '..', '..');
/** What the bundle is made of: the app, the libs it imports as source, and the build's own settings. */
const INPUTS = [
  path.join(WEB, 'src'),
  path.join(WEB, 'index.html'),
  path.join(WEB, 'vite.config.ts'),
  path.join(WEB, 'tsconfig.json'),
  path.join(WEB, 'package.json'),
  path.join(ROOT, 'libs', 'domain', 'src'),
  path.join(ROOT, 'libs', 'events', 'src'),
  path.join(ROOT, 'package-lock.json'),
];
const STAMP = '.build-fingerprint';

function filesUnder(entry, out) {
  const dirents = readdirSync(entry, { withFileTypes: true });
  for (const d of dirents.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const full = path.join(entry, d.name);
    if (d.isDirectory()) filesUnder(full, out);
    else if (d.isFile()) out.push(full);
  }
  return out;
}

/** One digest over the paths (relative to `root`) and contents of every file of `inputs`, in a fixed order. */
function fingerprint(inputs, root) {
  const hash = createHash('sha256');
  for (const input of inputs) {
    if (!existsSync(input)) continue;
    const files = statSync(input).isDirectory() ? filesUnder(input, []) : [input];
    for (const file of files) {
      hash
        .update(path.relative(root, file).split(path.sep).join('/'))
        .update('\0')
        .update(readFileSync(file))
        .update('\0');
    }
  }
  return hash.digest('hex');
}

/** True when `dist` holds a build made from inputs with this fingerprint. */
function upToDate(dist, print) {
  const stamp = path.join(dist, STAMP);
  return (
    existsSync(path.join(dist, 'index.html')) &&
    existsSync(stamp) &&
    readFileSync(stamp, 'utf8').trim() === print
  );
}

function main() {
  const dist = path.join(WEB, 'dist');
  const print = fingerprint(INPUTS, ROOT);
  if (upToDate(dist, print)) {
    process.stdout.write('web app: up to date, not rebuilt\n');
    return;
  }
  execFileSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', 'build'], {
    cwd: WEB,
    stdio: 'inherit',
  });
  writeFileSync(path.join(dist, STAMP), `${print}\n`);
}

module.exports = { fingerprint, upToDate, STAMP };
if (require.main === module) main();

'use strict';
/** The benchmark data set: investors seeded through the real append path, then a long log of edits. */
const { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync } = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { now } = require('./stats');
const { indexLog } = require('./search-index');

const { decideRetypeField } = require('@crm/domain');
const { openCore } = require('./core-handles');

const SYSTEM = { id: 'bench', name: 'Bench', role: 'system' };
const recordId = (n) => `rec${String(n).padStart(14, '0')}`;

function fieldsOf(core) {
  const inv = core.repo.tableByRole('investors');
  const f = (role) => inv.fields.find((x) => x.role === role).id;
  return { inv, f, table: inv.id, owner: f('investor.owner'), nextStep: f('investor.next_step') };
}

/** Bases seeded in this run, by size (the database file kept aside and the ids). */
const seeded = new Map();
let keptDir = null;

/** Keeps a copy of the closed base in `dir` for the next seed of the same size. */
function keep(dir, count, ids) {
  if (!keptDir) {
    keptDir = mkdtempSync(path.join(os.tmpdir(), 'crm-bench-seeded-'));
    process.once('exit', () => rmSync(keptDir, { recursive: true, force: true }));
  }
  const into = path.join(keptDir, String(count));
  rmSync(into, { recursive: true, force: true });
  copyBase(dir, into);
  seeded.set(count, { dir: into, ids });
}

/** Copies the database file (and its WAL, if the base was left with one) into an empty folder. */
function copyBase(from, to) {
  mkdirSync(to, { recursive: true });
  for (const name of readdirSync(from).filter((n) => n.startsWith('crm.sqlite')))
    copyFileSync(path.join(from, name), path.join(to, name));
}

/**
 * Seeds `count` investors in batches of 1,000 creates (one transaction each), then reads them into
 * the search index (untimed; see lib/search-index.js). The first seed of a size is done so and
 * timed (`seed_ms`); a later one of the same size in the same run is a copy of that base, ids and
 * timing included: the same rows and events, without seeding them again for every section.
 */
async function seedInvestors(dir, count) {
  const kept = seeded.get(count);
  if (kept) {
    copyBase(kept.dir, dir);
    return { ...kept.ids };
  }
  const core = await openCore({ databaseFile: path.join(dir, 'crm.sqlite') });
  const { inv, f, table, owner, nextStep } = fieldsOf(core);
  // The benchmark edits Owner as free text, as the base had it before people fields.
  await core.commands.decide({ actor: SYSTEM, source: 'api' }, (ctx) =>
    decideRetypeField({ field_id: owner, type: 'text' }, ctx),
  );
  const stages = ['Lead', 'Engaged', 'Diligence', 'Committed', 'Passed'];
  const types = ['Family office', 'Endowment', 'Foundation', 'Pension', 'Fund of funds'];
  const started = now();
  for (let start = 0; start < count; start += 1000) {
    const changes = [];
    for (let n = start; n < Math.min(count, start + 1000); n++) {
      changes.push({
        op: 'create',
        table_id: inv.id,
        record_id: recordId(n),
        values: {
          [f('investor.name')]: `Investor ${n}`,
          [f('investor.type')]: types[n % 5],
          [f('investor.stage')]: stages[n % 5],
          [f('investor.owner')]: `Partner ${n % 5}`,
          [f('investor.target_commitment')]: 1_000_000 + (n % 50) * 250_000,
          [f('investor.last_contacted')]: `2026-${String((n % 12) + 1).padStart(2, '0')}-15`,
          [f('investor.website')]: `https://investor${n}.example.com`,
          [f('investor.notes')]: `Met at the annual meeting; follow up on fund ${n % 4}.`,
        },
      });
    }
    await core.commands.applyChanges(changes, { actor: SYSTEM, source: 'import' });
  }
  const ms = now() - started;
  await indexLog(core);
  await core.close();
  const ids = { table, owner, nextStep, records: count, seed_ms: ms };
  keep(dir, count, ids);
  return { ...ids };
}

/**
 * Grows the log with single-cell edits (one event each, 5,000 per transaction) until it holds
 * `target` events. `onPosition` is called every 5,000 events (to take snapshots as the server would).
 */
async function growLog(dir, ids, target, onBatch) {
  const core = await openCore({ databaseFile: path.join(dir, 'crm.sqlite'), seed: false });
  const started = now();
  const current = new Map();
  let n = 0;
  while (core.store.lastPosition() < target) {
    // 5,000 commands in one transaction: each runs nested in it.
    await core.uow.write(async () => {
      for (let i = 0; i < 5000; i++, n++) {
        const k = (n * 7919) % ids.records;
        const record_id = recordId(k);
        await core.commands.applyChanges(
          [
            {
              op: 'set',
              record_id,
              field_id: ids.owner,
              from: current.get(record_id) ?? `Partner ${k % 5}`,
              to: `Owner ${n}`,
            },
          ],
          { actor: SYSTEM, source: 'grid' },
        );
        current.set(record_id, `Owner ${n}`);
      }
    });
    if (onBatch) onBatch(core);
  }
  const result = { events: core.store.lastPosition(), ms: now() - started };
  await core.close();
  return result;
}

module.exports = { seedInvestors, growLog, recordId, openCore, SYSTEM };

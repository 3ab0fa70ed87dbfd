'use strict';
/** The benchmark data set: investors seeded through the real append path, then a long log of edits. */
const path = require('node:path');
const { now } = require('./stats');

const { decideRetypeField } = require('@crm/domain');
const { openCore } = require('./core-handles');

const SYSTEM = { id: 'bench', name: 'Bench', role: 'system' };
const recordId = (n) => `rec${String(n).padStart(14, '0')}`;

function fieldsOf(core) {
  const inv = core.repo.tableByRole('investors');
  const f = (role) => inv.fields.find((x) => x.role === role).id;
  return { inv, f, table: inv.id, owner: f('investor.owner'), nextStep: f('investor.next_step') };
}

/** Seeds `count` investors in batches of 1,000 creates (one transaction each). */
async function seedInvestors(dir, count) {
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
  await core.close();
  return { table, owner, nextStep, records: count, seed_ms: ms };
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

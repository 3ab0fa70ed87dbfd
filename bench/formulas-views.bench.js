'use strict';
/**
 * Formulas and views at the scale of 100,000 investors:
 * - recompute 10 formula fields on every record with the domain's evaluator (target ≤ 1 s), and the
 *   same work through the grid projector when the fields are added (SQLite reads and writes included);
 * - apply a view with a three-level filter and two sorts on the server (target ≤ 300 ms), and the
 *   same view with the browser's code on the rows the grid holds.
 */
const { mkdtempSync, rmSync } = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { summary, now } = require('./lib/stats');
const { ROOT } = require('./lib/server');
const { seedInvestors } = require('./lib/dataset');

const domain = require(path.join(ROOT, 'libs/domain/dist'));
const { openCore } = require('./lib/core-handles');
const { ViewRecordsQuery } = require(
  path.join(ROOT, 'apps/api/dist/capabilities/fundraising/queries/view-records.query'),
);
const { GridQueries } = require(
  path.join(ROOT, 'apps/api/dist/capabilities/fundraising/queries/grid.queries'),
);

const RECORDS = Number(process.env.BENCH_RECORDS ?? 100_000);
const SYSTEM = { id: 'bench', name: 'Bench', role: 'system' };

const FORMULAS = [
  ['Fee', '{Target commitment} * 0.02'],
  ['Committed value', 'IF({Pipeline stage} = "Committed", {Target commitment}, 0)'],
  ['Code', 'UPPER(LEFT({Name}, 3)) & "-" & {Owner}'],
  ['Days since contact', 'DATETIME_DIFF(TODAY(), {Last contacted}, "days")'],
  ['Follow up', 'DATEADD({Last contacted}, 30, "days")'],
  ['Notes length', 'LEN({Notes})'],
  ['Type rank', 'SWITCH({Type}, "Endowment", 1, "Pension", 2, 3)'],
  ['Fee (k)', 'ROUND({Fee} / 1000, 1)'],
  [
    'Priority',
    'IF(AND({Target commitment} > 5000000, {Pipeline stage} != "Passed"), "Priority", "Normal")',
  ],
  ['Domain match', 'REGEX_MATCH({Website}, "investor[0-9]+5\\\\.")'],
];

function threeLevelView(table) {
  const f = (role) => table.fields.find((x) => x.role === role).id;
  return {
    filters: {
      conjunction: 'and',
      conditions: [
        { field_id: f('investor.target_commitment'), operator: '>=', value: 2_000_000 },
        {
          conjunction: 'or',
          conditions: [
            {
              field_id: f('investor.stage'),
              operator: 'has_any_of',
              value: ['Engaged', 'Diligence'],
            },
            {
              conjunction: 'and',
              conditions: [
                { field_id: f('investor.owner'), operator: 'contains', value: 'partner 1' },
                {
                  field_id: f('investor.last_contacted'),
                  operator: 'is_after',
                  value: '2026-03-01',
                },
              ],
            },
          ],
        },
      ],
    },
    sorts: [
      { field_id: f('investor.type'), direction: 'asc' },
      { field_id: f('investor.target_commitment'), direction: 'desc' },
    ],
  };
}

async function runFormulaViewBench(log) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'crm-bench-fv-'));
  try {
    log(`formulas and views: seeding ${RECORDS} investors…`);
    await seedInvestors(dir, RECORDS);
    const core = await openCore({ databaseFile: path.join(dir, 'crm.sqlite'), seed: false });
    const table = core.repo.tableByRole('investors');

    // 1. The evaluator alone: 10 formulas over every record, in dependency order.
    const fields = [...table.fields];
    for (const [name, formula] of FORMULAS) {
      const options = domain.normalizeFieldOptions(
        name,
        'formula',
        { formula },
        { tableExists: () => true, fields },
      );
      fields.push({ id: `fld_bench_${fields.length}`, name, type: 'formula', options, role: null });
    }
    const graph = domain.FormulaGraph.of(fields);
    const records = [...core.repo.recordsOf(table.id)];
    const at = Date.parse('2026-06-01T12:00:00.000Z');
    const compute = [];
    let errors = 0;
    for (let run = 0; run < 5; run++) {
      const t0 = now();
      for (const r of records) {
        const c = domain.computeAllFormulas(graph, r, at);
        if (run === 0)
          for (const v of Object.values(c))
            if (v && typeof v === 'object' && !Array.isArray(v)) errors++;
      }
      compute.push(now() - t0);
    }
    if (errors) throw new Error(`the bench formulas gave ${errors} errors`);
    log(
      `evaluator: ${records.length} records × ${FORMULAS.length} formulas, p50 ${summary(compute).p50.toFixed(0)} ms`,
    );

    // 2. The same through the grid projector: each added formula field commits at once, and the
    // table is recomputed after it in slices (worked off here in one go, to time the work).
    const perField = [];
    const recompute = [];
    const { newId } = require(path.join(ROOT, 'apps/api/dist/infrastructure/clock'));
    for (const [name, formula] of FORMULAS) {
      const t0 = now();
      await core.commands.decide({ actor: SYSTEM, source: 'system' }, (ctx) =>
        domain.decideAddField(
          {
            table_id: table.id,
            field: { id: newId('fld'), name, type: 'formula', options: { formula } },
          },
          ctx,
        ),
      );
      perField.push(now() - t0);
      const t1 = now();
      await core.uow.write(() => core.backlog.finishAll());
      recompute.push(now() - t1);
    }
    log(
      `projector: adding ${FORMULAS.length} formula fields took ${perField.reduce((a, b) => a + b, 0).toFixed(0)} ms in all`,
    );
    // One edit recomputes only the formulas that read the edited field.
    const owner = table.fields.find((x) => x.role === 'investor.owner').id;
    const edits = [];
    for (let i = 0; i < 300; i++) {
      const id = records[(i * 7919) % records.length].id;
      const current = core.repo.record(id).values[owner] ?? null;
      const t0 = now();
      await core.commands.applyChanges(
        [{ op: 'set', record_id: id, field_id: owner, from: current, to: `Partner ${i % 9}` }],
        { actor: SYSTEM, source: 'grid' },
      );
      edits.push(now() - t0);
    }

    // 3. A view with a three-level filter and two sorts, on the server: the first request reads the
    // columns the view needs out of SQLite; later ones (a new view version each, so nothing of the
    // answer is reused) find them in memory, brought up to date with a few edits in between.
    const config = threeLevelView(table);
    const view = { id: 'viw_bench', table_id: table.id, name: 'Bench', config, version: 1 };
    const query = new ViewRecordsQuery(core.repo, core.uow, (after, limit) =>
      core.store.readAll(after, limit),
    );
    let t0 = now();
    let matched = JSON.parse(
      query.pageJson(view, core.repo.table(table.id), undefined, 100, at),
    ).total;
    const cold = now() - t0;
    const server = [];
    for (let run = 0; run < 10; run++) {
      const id = records[(run * 104729) % records.length].id;
      const current = core.repo.record(id).values[owner] ?? null;
      await core.commands.applyChanges(
        [{ op: 'set', record_id: id, field_id: owner, from: current, to: `Partner 1${run}` }],
        { actor: SYSTEM, source: 'grid' },
      );
      t0 = now();
      const json = query.pageJson(
        { ...view, version: run + 2 },
        core.repo.table(table.id),
        undefined,
        100,
        at,
      );
      server.push(now() - t0);
      matched = JSON.parse(json).total;
    }
    log(
      `server view: ${matched} of ${records.length} records, first ${cold.toFixed(0)} ms, then p50 ${summary(server).p50.toFixed(0)} ms`,
    );

    // 4. The browser's side: the same domain code over the rows of GET /state.
    const state = JSON.parse(new GridQueries(core.repo, core.uow).stateJson());
    const rows = state.tables.find((t) => t.id === table.id).records;
    const fresh = core.repo.table(table.id);
    const browser = [];
    for (let run = 0; run < 10; run++) {
      const t0 = now();
      const out = domain.applyView(rows, fresh.fields, config, domain.recordAccess, { now: at });
      browser.push(now() - t0);
      if (out.length !== matched)
        throw new Error(`browser and server disagree: ${out.length} vs ${matched}`);
    }
    await core.close();
    return {
      records: records.length,
      formulas: FORMULAS.length,
      evaluator: summary(compute),
      projector_add_fields: {
        per_field: summary(perField),
        recompute: summary(recompute),
        total_ms: perField.reduce((a, b) => a + b, 0),
      },
      edit_with_formulas: summary(edits),
      view_server: { ...summary(server), matched, first_ms: cold },
      view_browser_code: summary(browser),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

module.exports = { runFormulaViewBench };

if (require.main === module) {
  runFormulaViewBench((m) => process.stderr.write(`[bench] ${m}\n`)).then(
    (r) => process.stdout.write(`${JSON.stringify(r, null, 2)}\n`),
    (e) => {
      process.stderr.write(`${e.stack ?? e}\n`);
      process.exit(1);
    },
  );
}

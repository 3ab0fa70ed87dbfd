import fc from 'fast-check';
import { type CellValue, type FieldDefinition } from '@crm/events';
import {
  contextOf,
  type DecideContext,
  decideAddField,
  decideCreateTable,
  decideDeleteView,
  decideRemoveField,
  decideRenameField,
  decideRetypeField,
  decideSaveView,
  DomainError,
  replay,
} from '@crm/domain';
import { type ChangeInput } from '../../apps/api/src/capabilities/fundraising/fundraising.commands';
import { openCore, type Core } from '../support/core-handles';
import { SYSTEM_ACTOR } from '../../apps/api/src/infrastructure/request-context/actor';

/**
 * The state a decider sees is read from the read models (the grid projection, through the fundraising
 * commands' DecideContext). For any history of commands through the real command path, it must equal
 * the state folded from the log alone; otherwise a decision could rest on a state the log does not hold.
 */

const CHOICES = ['Lead', 'Engaged', 'Diligence', 'Committed'];
const TYPES = ['text', 'number', 'checkbox', 'single_select', 'multiple_select', 'date', 'email'];
const optionsOf = (type: string) => (type.endsWith('_select') ? { choices: CHOICES } : {});

/** One step of a history: indices pick among what exists when the step runs. */
type Step =
  | { k: 'table'; types: number[] }
  | { k: 'addField'; t: number; type: number }
  | { k: 'renameField'; t: number; f: number; name: string }
  | { k: 'retypeField'; t: number; f: number; type: number }
  | { k: 'removeField'; t: number; f: number }
  | { k: 'create'; t: number; n: number; seed: number; text: string }
  | { k: 'set'; r: number; f: number; seed: number; text: string; stale: boolean }
  | { k: 'archive'; r: number }
  | { k: 'saveView'; t: number; v: number; name: string }
  | { k: 'deleteView'; v: number };

const nat = fc.nat(1000);
const text = fc.string({ maxLength: 12 });
const type = fc.nat(TYPES.length - 1);
/** A kind of step, how often it comes, and its arbitrary parts. */
const step = (k: Step['k'], weight: number, parts: Record<string, fc.Arbitrary<unknown>> = {}) => ({
  arbitrary: fc.record({ k: fc.constant(k), ...parts }) as fc.Arbitrary<Step>,
  weight,
});
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  step('table', 1, { types: fc.array(type, { maxLength: 3 }) }),
  step('addField', 2, { t: nat, type }),
  step('renameField', 1, { t: nat, f: nat, name: text }),
  step('retypeField', 2, { t: nat, f: nat, type }),
  step('removeField', 1, { t: nat, f: nat }),
  step('create', 4, { t: nat, n: fc.integer({ min: 1, max: 3 }), seed: nat, text }),
  step('set', 6, { r: nat, f: nat, seed: nat, text, stale: fc.boolean() }),
  step('archive', 2, { r: nat }),
  step('saveView', 1, { t: nat, v: nat, name: text }),
  step('deleteView', 1, { v: nat }),
);

/** A value the field takes (mostly): the seed picks it, so that a shrunk history stays readable. */
function valueFor(field: FieldDefinition, seed: number, s: string): CellValue {
  if (seed % 11 === 0) return null;
  switch (field.type) {
    case 'number':
      return (seed - 500) / 4;
    case 'checkbox':
      return seed % 2 === 0;
    case 'single_select':
      return CHOICES[seed % CHOICES.length];
    case 'multiple_select':
      return CHOICES.filter((_, i) => (seed >> i) & 1);
    case 'date':
      return `2026-0${1 + (seed % 9)}-${10 + (seed % 18)}`;
    case 'email':
      return `${s.replace(/[^a-z0-9]/gi, '') || 'lp'}@fund.example`;
    default:
      return s || null;
  }
}

const pick = <T>(list: readonly T[], i: number): T | undefined =>
  list.length ? list[i % list.length] : undefined;

/** Runs a history's steps as commands through the core's command path, one transaction each. */
class History {
  private n = 0;
  readonly recordIds: string[] = [];
  readonly viewIds: string[] = [];
  readonly done = new Map<Step['k'], number>();
  private readonly meta = {
    actor: { ...SYSTEM_ACTOR, id: 'usr_ada', name: 'Ada' },
    source: 'grid' as const,
  };

  constructor(private readonly core: Core) {}

  private id(prefix: string): string {
    return `${prefix}${String(++this.n).padStart(14, '0')}`;
  }

  private get ctx(): DecideContext {
    return this.core.commands.ctx;
  }

  /** Runs one step; a step the deciders refuse appends nothing and is skipped. */
  async run(step: Step): Promise<void> {
    try {
      if (await this.apply(step)) this.done.set(step.k, (this.done.get(step.k) ?? 0) + 1);
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
    }
  }

  private async execute(
    decide: (ctx: DecideContext) => ReturnType<typeof decideAddField>,
  ): Promise<true> {
    await this.core.commands.decide(this.meta, decide);
    return true;
  }

  private async changes(list: ChangeInput[]): Promise<boolean> {
    return (await this.core.commands.applyChanges(list, this.meta)).applied.length > 0;
  }

  private field(t: number, f: number) {
    const table = pick(this.ctx.tables(), t);
    return table && { table, field: pick(table.fields, f) };
  }

  private async apply(step: Step): Promise<boolean> {
    switch (step.k) {
      case 'table': {
        const fields = [{ id: this.id('fld'), name: 'Name', type: 'text' }].concat(
          step.types.map((type, i) => ({
            id: this.id('fld'),
            name: `F${i}`,
            type: TYPES[type],
            options: optionsOf(TYPES[type]),
          })),
        );
        const table_id = this.id('tbl');
        return this.execute((ctx) =>
          decideCreateTable({ table_id, name: `Table ${this.n}`, fields }, ctx),
        );
      }
      case 'addField': {
        const table = pick(this.ctx.tables(), step.t);
        if (!table) return false;
        const type = TYPES[step.type];
        const field = {
          id: this.id('fld'),
          name: `Field ${this.n}`,
          type,
          options: optionsOf(type),
        };
        return this.execute((ctx) => decideAddField({ table_id: table.id, field }, ctx));
      }
      case 'renameField': {
        const at = this.field(step.t, step.f);
        if (!at?.field) return false;
        const name = `${step.name.trim() || 'Renamed'} ${this.n++}`;
        return this.execute((ctx) => decideRenameField({ field_id: at.field!.id, name }, ctx));
      }
      case 'retypeField': {
        const at = this.field(step.t, step.f);
        if (!at?.field) return false;
        const type = TYPES[step.type];
        return this.execute((ctx) =>
          decideRetypeField({ field_id: at.field!.id, type, options: optionsOf(type) }, ctx),
        );
      }
      case 'removeField': {
        const at = this.field(step.t, step.f);
        if (!at?.field) return false;
        return this.execute((ctx) => decideRemoveField({ field_id: at.field!.id }, ctx));
      }
      case 'create': {
        const table = pick(this.ctx.tables(), step.t);
        if (!table) return false;
        const creates: ChangeInput[] = [];
        for (let i = 0; i < step.n; i++) {
          const record_id = this.id('rec');
          this.recordIds.push(record_id);
          const values = Object.fromEntries(
            table.fields.map((f, k) => [f.id, valueFor(f, step.seed + i + k, step.text)]),
          );
          creates.push({ op: 'create', table_id: table.id, record_id, values });
        }
        return this.changes(creates);
      }
      case 'set': {
        const record = this.ctx.record(pick(this.recordIds, step.r) ?? '');
        const field = record && pick(this.ctx.table(record.table_id)?.fields ?? [], step.f);
        if (!record || !field) return false;
        const current = record.values[field.id] ?? null;
        // A stale `from` comes back as a conflict and must change nothing.
        const from = step.stale ? 'not what is there' : current;
        return this.changes([
          {
            op: 'set',
            record_id: record.id,
            field_id: field.id,
            from,
            to: valueFor(field, step.seed, step.text),
          },
        ]);
      }
      case 'archive': {
        const record = this.ctx.record(pick(this.recordIds, step.r) ?? '');
        if (!record) return false;
        return this.changes([
          { op: record.archived ? 'unarchive' : 'archive', record_id: record.id },
        ]);
      }
      case 'saveView': {
        const table = pick(this.ctx.tables(), step.t);
        if (!table) return false;
        const existing = pick(this.viewIds, step.v);
        const view_id = existing && step.v % 2 === 0 ? existing : this.id('viw');
        if (view_id !== existing) this.viewIds.push(view_id);
        const config = { hidden_fields: table.fields.slice(1, 2).map((f) => f.id) };
        return this.execute((ctx) =>
          decideSaveView(
            {
              view_id,
              table_id: ctx.view(view_id)?.table_id ?? table.id,
              name: step.name.trim() || 'Grid',
              config,
            },
            ctx,
          ),
        );
      }
      case 'deleteView': {
        const view_id = pick(this.viewIds, step.v);
        if (!view_id || !this.ctx.view(view_id)) return false;
        return this.execute((ctx) => decideDeleteView({ view_id }, ctx));
      }
    }
  }
}

/** Every question a decider can ask, answered by the read models and by the fold of the log. */
function expectSameState(live: DecideContext, folded: DecideContext, history: History): void {
  expect(live.tables()).toStrictEqual(folded.tables());
  for (const t of folded.tables()) {
    expect(live.table(t.id)).toStrictEqual(t);
    const records = [...folded.recordsOf(t.id)];
    expect([...live.recordsOf(t.id)]).toStrictEqual(records);
    const { count, sample } = live.recordSample!(t.id, 4);
    expect(count).toBe(records.length);
    for (const r of sample) expect(r).toStrictEqual(folded.record(r.id));
  }
  for (const id of history.recordIds) expect(live.record(id)).toStrictEqual(folded.record(id));
  expect([...live.viewIds()]).toStrictEqual([...folded.viewIds()]);
  for (const id of history.viewIds) expect(live.view(id)).toStrictEqual(folded.view(id));
  expect(live.table('tbl_never')).toBeUndefined();
  expect(live.record('rec_never')).toBeUndefined();
}

describe('the state a decider sees', () => {
  it('equals the state folded from the log, for random histories of commands', async () => {
    const done = new Map<Step['k'], number>();
    await fc.assert(
      fc.asyncProperty(fc.array(stepArb, { minLength: 20, maxLength: 30 }), async (steps) => {
        const core = await openCore({ databaseFile: ':memory:', seed: false });
        try {
          const history = new History(core);
          // Every history starts from one table holding a field of each type.
          const start: Step = { k: 'table', types: TYPES.map((_, i) => i) };
          for (const step of [start, ...steps]) {
            await history.run(step);
            expectSameState(core.commands.ctx, contextOf(replay(core.store.readAll())), history);
          }
          for (const [k, n] of history.done) done.set(k, (done.get(k) ?? 0) + n);
        } finally {
          await core.close();
        }
      }),
      { numRuns: 50, seed: 15 },
    );
    // The histories did reach every kind of command, not only refusals.
    expect([...done.keys()].sort()).toEqual(
      [
        'addField',
        'archive',
        'create',
        'deleteView',
        'removeField',
        'renameField',
        'retypeField',
        'saveView',
        'set',
        'table',
      ].sort(),
    );
  });
});

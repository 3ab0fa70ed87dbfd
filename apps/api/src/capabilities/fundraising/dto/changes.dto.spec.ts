import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { ChangesDto } from './changes.dto';

/** What the global ValidationPipe would say of a body (whitelist, forbidNonWhitelisted). */
const decoratorErrors = (body: unknown) => {
  if (typeof body !== 'object' || body === null) return ['not an object'];
  return validateSync(plainToInstance(ChangesDto, body) as object, {
    whitelist: true,
    forbidNonWhitelisted: true,
  });
};

/** A small deterministic generator of bodies, good and bad in every way the rules care about. */
function* bodies(count: number): Generator<unknown> {
  let seed = 42;
  const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2147483648), seed % n);
  const pick = <T>(xs: T[]): T => xs[rnd(xs.length)];
  // Mostly good values, so that bodies with exactly one flaw are common.
  const maybe = <T>(good: T[], bad: T[]): T => (rnd(6) === 0 ? pick(bad) : pick(good));
  const id = () =>
    maybe<unknown>(
      [undefined, 'recAbc', 'x'.repeat(64)],
      ['x'.repeat(65), '', 7, null, ['a'], { a: 1 }, '😀'.repeat(33)],
    );
  const anything = [undefined, null, 0, 'a', [], {}, true];
  const change = () => {
    const c: Record<string, unknown> = {};
    if (rnd(20) > 0)
      c.op = maybe<unknown>(['create', 'set', 'archive', 'unarchive'], ['delete', 'SET', 1, null]);
    for (const k of ['table_id', 'record_id', 'field_id']) {
      const v = id();
      if (v !== undefined || rnd(2)) c[k] = v;
    }
    for (const k of ['from', 'to']) if (rnd(2)) c[k] = pick(anything);
    const v = maybe<unknown>(
      [undefined, undefined, {}, { fld: 1 }],
      [[], null, 'text', 3, Object.create(null)],
    );
    if (v !== undefined) c.values = v;
    if (rnd(20) === 0) c[pick(['created_by', 'version', '__meta'])] = 'x';
    return rnd(30) === 0 ? pick([null, 'set', [], 3]) : c;
  };
  for (let i = 0; i < count; i++) {
    const n = pick([0, 1, 1, 1, 2, 3, 10]);
    const body: Record<string, unknown> = {
      changes: rnd(15) === 0 ? pick(['all', null, {}, 5]) : Array.from({ length: n }, change),
    };
    if (rnd(15) === 0) body[pick(['version', 'extra'])] = 1;
    if (rnd(30) === 0) delete body.changes;
    yield rnd(40) === 0 ? pick([null, [], 'changes', 5]) : body;
  }
}

describe('ChangesDto.isPlainlyValid', () => {
  it('never accepts a body the validation decorators refuse (5,000 generated bodies)', () => {
    let accepted = 0;
    for (const body of bodies(5000)) {
      if (!ChangesDto.isPlainlyValid(body)) continue;
      accepted++;
      expect({ body, errors: decoratorErrors(body) }).toEqual({ body, errors: [] });
    }
    expect(accepted).toBeGreaterThan(50); // the generator does reach the accepting side
  });

  it('accepts what the grid sends', () => {
    expect(
      ChangesDto.isPlainlyValid({
        changes: [
          {
            op: 'set',
            record_id: 'rec00000000000001',
            field_id: 'fld00000000000001',
            from: null,
            to: 'Engaged',
          },
        ],
      }),
    ).toBe(true);
    expect(
      ChangesDto.isPlainlyValid({
        changes: [
          { op: 'create', table_id: 'tbl00000000000001', values: { fld: ['a', 'b'] } },
          { op: 'archive', record_id: 'rec1' },
        ],
      }),
    ).toBe(true);
  });

  it('leaves an extra property, a too-long id, a wrong op or too many changes to the full validation', () => {
    const set = { op: 'set', record_id: 'rec1', field_id: 'fld1', from: null, to: 1 };
    for (const body of [
      { changes: [set], version: 1 },
      { changes: [{ ...set, created_by: 'x' }] },
      { changes: [{ ...set, record_id: 'r'.repeat(65) }] },
      { changes: [{ ...set, op: 'delete' }] },
      { changes: [] },
      { changes: Array(10_001).fill(set) },
      { changes: [{ ...set, values: [] }] },
    ]) {
      expect(ChangesDto.isPlainlyValid(body)).toBe(false);
      expect(decoratorErrors(body).length).toBeGreaterThan(0);
    }
  });
});

import { type FieldDefinition } from '@crm/events';
import { FormulaGraph } from './dependency-graph';
import { computeAllFormulas, recomputeFormulas } from './record-formulas';

const field = (
  id: string,
  type: string,
  options: Record<string, unknown> = {},
): FieldDefinition => ({ id, name: id.toUpperCase(), type, options, role: null });
const formula = (id: string, f: string, result_type = 'number') =>
  field(id, 'formula', { formula: f, result_type });

describe('FormulaGraph', () => {
  const fields = [
    field('a', 'number'),
    field('b', 'number'),
    field('t', 'text'),
    formula('total', '{a} + {b}'),
    formula('double', '{total} * 2'),
    formula('label', '{t} & "!"', 'text'),
    formula('stamp', 'NOW()', 'date'),
    formula('broken', '{gone} + 1'),
  ];
  const graph = FormulaGraph.of(fields);

  it('orders formulas so that each comes after the formulas it reads', () => {
    const order = graph.ordered.map((n) => n.field.id);
    expect(order.indexOf('total')).toBeLessThan(order.indexOf('double'));
  });

  it('recomputes only the formulas reading a changed field (and those reading the clock)', () => {
    expect(
      graph
        .affectedBy(['a'])
        .map((n) => n.field.id)
        .sort(),
    ).toEqual(['double', 'stamp', 'total']);
    expect(
      graph
        .affectedBy(['t'])
        .map((n) => n.field.id)
        .sort(),
    ).toEqual(['label', 'stamp']);
    expect(graph.dependentsOf('total').map((n) => n.field.id)).toEqual(['total', 'double']);
    expect(graph.dependentsOf('b').map((n) => n.field.id)).toEqual(['total', 'double']);
  });

  it('computes values in order and keeps the error of a formula that no longer compiles', () => {
    const record = {
      id: 'r1',
      values: { a: 2, b: 3, t: 'hi' },
      created_at: '2026-01-01T00:00:00.000Z',
      updated_at: '2026-01-01T00:00:00.000Z',
    };
    const now = Date.parse('2026-02-01T10:00:00.000Z');
    const all = computeAllFormulas(graph, record, now);
    expect(all).toEqual({
      total: 5,
      double: 10,
      label: 'hi!',
      stamp: '2026-02-01T10:00:00.000Z',
      broken: { error: 'unknown field {gone}' },
    });
    expect(Object.keys(all)).toEqual(graph.ordered.map((n) => n.field.id));
    const after = recomputeFormulas(
      graph.affectedBy(['a']),
      { ...record, values: { ...record.values, a: 10 }, computed: all },
      now + 1000,
    );
    expect(after).toEqual({ ...all, total: 13, double: 26, stamp: '2026-02-01T10:00:01.000Z' });
  });

  it('shows a loop brought back by a restore as an error instead of recomputing forever', () => {
    const loop = FormulaGraph.of([
      field('a', 'number'),
      formula('x', '{y} + 1'),
      formula('y', '{x} + {a}'),
    ]);
    const values = computeAllFormulas(
      loop,
      { id: 'r', values: { a: 1 }, created_at: null, updated_at: null },
      0,
    );
    expect(values).toEqual({
      x: { error: 'formula fields refer to each other in a loop' },
      y: { error: 'formula fields refer to each other in a loop' },
    });
  });
});

import { type Upcaster, UpcasterRegistry } from './upcasters';

/** FieldAdded v1 had `kind` where v2 has `type`; v3 added `role`. */
const v1ToV2: Upcaster = {
  type: 'FieldAdded',
  from_version: 1,
  up: (data) => {
    const { kind, ...rest } = data as { kind: string };
    return { ...rest, type: kind };
  },
};
const v2ToV3: Upcaster = {
  type: 'FieldAdded',
  from_version: 2,
  up: (data) => ({ ...(data as object), role: null }),
};

describe('UpcasterRegistry', () => {
  const registry = new UpcasterRegistry([v2ToV3, v1ToV2]);

  it('lifts an old shape through every step to the current version', () => {
    expect(registry.upcast('FieldAdded', 1, { name: 'Stage', kind: 'single_select' })).toEqual({
      data: { name: 'Stage', type: 'single_select', role: null },
      schema_version: 3,
    });
  });

  it('starts from the stored version', () => {
    expect(registry.upcast('FieldAdded', 2, { name: 'Stage', type: 'text' })).toEqual({
      data: { name: 'Stage', type: 'text', role: null },
      schema_version: 3,
    });
  });

  it('leaves the current version as it is', () => {
    const data = { name: 'Stage', type: 'text', role: 'x' };
    const result = registry.upcast('FieldAdded', 3, data);
    expect(result).toEqual({ data, schema_version: 3 });
    expect(result.data).toBe(data);
  });

  it('says which types it lifts, so that a replay can skip the others', () => {
    expect(registry.lifts('FieldAdded')).toBe(true);
    expect(registry.lifts('FieldRenamed')).toBe(false);
    expect(new UpcasterRegistry().lifts('FieldAdded')).toBe(false);
  });

  it('leaves other event types alone', () => {
    expect(registry.upcast('FieldRenamed', 1, { kind: 'x' })).toEqual({
      data: { kind: 'x' },
      schema_version: 1,
    });
  });

  it('with no upcasters, reads everything as stored', () => {
    expect(new UpcasterRegistry().upcast('FieldAdded', 1, { kind: 'text' })).toEqual({
      data: { kind: 'text' },
      schema_version: 1,
    });
  });
});

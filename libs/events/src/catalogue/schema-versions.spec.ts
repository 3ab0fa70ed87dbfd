import { UpcasterRegistry } from '../upcasters';
import { CURRENT_SCHEMA_VERSIONS, schemaVersionOf, UPCASTERS } from './schema-versions';

describe('event schema versions', () => {
  const registry = new UpcasterRegistry(UPCASTERS);

  it('lifts a stored FieldRemoved v1 to v2 with empty values', () => {
    const v1 = {
      table_id: 'tbl',
      field: { id: 'fld', name: 'Owner', type: 'text', options: {}, role: null },
    };
    expect(registry.upcast('FieldRemoved', 1, v1)).toEqual({
      schema_version: 2,
      data: { ...v1, values: {} },
    });
  });

  it('leaves current shapes alone', () => {
    const v2 = {
      table_id: 'tbl',
      field: { id: 'fld', name: 'Owner', type: 'text', options: {}, role: null },
      values: { rec: 'x' },
    };
    expect(registry.upcast('FieldRemoved', 2, v2)).toEqual({ schema_version: 2, data: v2 });
  });

  it('every upcaster chain ends at the current version of its type', () => {
    for (const u of UPCASTERS)
      expect(registry.upcast(u.type, u.from_version, {}).schema_version).toBe(
        CURRENT_SCHEMA_VERSIONS[u.type],
      );
    expect(schemaVersionOf('RecordUpdated')).toBe(1);
  });
});

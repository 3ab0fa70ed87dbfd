import { newEventId, newId } from './clock';

describe('ids', () => {
  it('event ids are RFC 9562 version-7 UUIDs, unique and in time order', () => {
    const ids = Array.from({ length: 5000 }, newEventId);
    for (const id of ids.slice(0, 50))
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(ids).size).toBe(ids.length);
    const prefixes = ids.map((id) => id.slice(0, 13));
    expect([...prefixes].sort()).toEqual(prefixes);
  });

  it('record ids are rec + 14 base-62 characters', () => {
    for (let i = 0; i < 200; i++) expect(newId('rec')).toMatch(/^rec[0-9A-Za-z]{14}$/);
  });
});

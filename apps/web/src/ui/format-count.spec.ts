import { describe, expect, it } from '@jest/globals';
import { formatCount, plural } from './format-count';

describe('counts in the interface', () => {
  it('agrees the noun with the number', () => {
    expect(plural(0, 'record')).toBe('0 records');
    expect(plural(1, 'record')).toBe('1 record');
    expect(plural(2, 'record')).toBe('2 records');
    expect(plural(1, 'entry', 'entries')).toBe('1 entry');
    expect(plural(3, 'entry', 'entries')).toBe('3 entries');
  });

  it('groups thousands the same way everywhere', () => {
    expect(formatCount(1825)).toBe((1825).toLocaleString());
    expect(plural(1825, 'record')).toBe(`${(1825).toLocaleString()} records`);
  });
});

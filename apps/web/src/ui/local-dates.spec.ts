import { describe, expect, it } from '@jest/globals';
import { dayText } from './local-dates';

describe('dashboard dates', () => {
  it('writes a calendar day in the reader’s locale, the same day in every zone', () => {
    expect(dayText('2026-03-01', 'en-US')).toBe('Mar 1, 2026');
    expect(dayText('2026-03-01', 'de-CH')).toBe('1. März 2026');
    expect(dayText('2026-03-01', 'en-GB')).toBe('1 Mar 2026');
  });

  it('leaves what is not a day as it is', () => {
    expect(dayText('soon', 'en-US')).toBe('soon');
  });
});

import { describe, expect, it } from '@jest/globals';
import { fromLocalInput, localInputNow } from './local-time';

describe('the quick log’s "when"', () => {
  it('shows a moment to the minute in the browser’s zone, and sends it back as the same instant', () => {
    const at = new Date(2026, 2, 29, 2, 30, 45);
    const shown = localInputNow(at);
    expect(shown).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/);
    expect(new Date(fromLocalInput(shown)).getTime()).toBe(
      new Date(
        at.getFullYear(),
        at.getMonth(),
        at.getDate(),
        at.getHours(),
        at.getMinutes(),
      ).getTime(),
    );
  });

  it('leaves a value that is not a date and time for the API to refuse, naming the field', () => {
    expect(fromLocalInput('yesterday')).toBe('yesterday');
  });
});

import { SWIPE_DISTANCE, swipeOutcome } from './use-swipe';

describe('a swipe on a reminder', () => {
  it('acts when the finger went far enough sideways: right is done, left is snooze', () => {
    expect(swipeOutcome(SWIPE_DISTANCE, 10)).toBe('right');
    expect(swipeOutcome(-SWIPE_DISTANCE - 40, -20)).toBe('left');
  });

  it('springs back when short, and leaves a mostly vertical move to scrolling', () => {
    expect(swipeOutcome(SWIPE_DISTANCE - 1, 0)).toBeNull();
    expect(swipeOutcome(SWIPE_DISTANCE + 10, SWIPE_DISTANCE + 20)).toBeNull();
    expect(swipeOutcome(0, 300)).toBeNull();
  });
});

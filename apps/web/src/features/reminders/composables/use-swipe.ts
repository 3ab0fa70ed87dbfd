import { ref } from 'vue';

/** How far a finger must travel sideways (px) for a swipe to act; less springs back. */
export const SWIPE_DISTANCE = 96;

export type SwipeOutcome = 'right' | 'left' | null;

/** A finished gesture: sideways far enough, and more sideways than up or down (a scroll is not a swipe). */
export function swipeOutcome(dx: number, dy: number): SwipeOutcome {
  if (Math.abs(dx) < SWIPE_DISTANCE || Math.abs(dx) <= Math.abs(dy)) return null;
  return dx > 0 ? 'right' : 'left';
}

/**
 * A sideways swipe by touch on an element (`touch-action: pan-y` on it keeps vertical scrolling to
 * the page): `offset` follows the finger while it moves, `done` gets the outcome when it lifts. A
 * mouse or a pen never swipes; their clicks go to the buttons.
 */
export function useSwipe(done: (outcome: Exclude<SwipeOutcome, null>) => void) {
  const offset = ref(0);
  let start: { id: number; x: number; y: number } | null = null;

  function down(e: PointerEvent) {
    if (e.pointerType !== 'touch' || !e.isPrimary) return;
    start = { id: e.pointerId, x: e.clientX, y: e.clientY };
  }
  function move(e: PointerEvent) {
    if (!start || e.pointerId !== start.id) return;
    const dx = e.clientX - start.x;
    offset.value = Math.abs(dx) > Math.abs(e.clientY - start.y) ? dx : 0;
  }
  function up(e: PointerEvent) {
    if (!start || e.pointerId !== start.id) return;
    const outcome = swipeOutcome(e.clientX - start.x, e.clientY - start.y);
    start = null;
    offset.value = 0;
    if (outcome) done(outcome);
  }
  function cancel() {
    start = null;
    offset.value = 0;
  }
  return {
    offset,
    handlers: { pointerdown: down, pointermove: move, pointerup: up, pointercancel: cancel },
  };
}

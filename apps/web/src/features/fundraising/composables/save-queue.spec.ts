import { type ChangeOp } from '../api/fundraising.api';
import { SaveQueue } from './save-queue';

/** The browser's Web Storage, as far as the outbox uses it. */
class MemoryStorage {
  private readonly items = new Map<string, string>();
  get length() {
    return this.items.size;
  }
  key(i: number) {
    return [...this.items.keys()][i] ?? null;
  }
  getItem(k: string) {
    return this.items.get(k) ?? null;
  }
  setItem(k: string, v: string) {
    this.items.set(k, String(v));
  }
  removeItem(k: string) {
    this.items.delete(k);
  }
  clear() {
    this.items.clear();
  }
}

const REC = 'rec00000000000001';
const STAGE = 'fldStage000000001';
const set = (to: string): ChangeOp => ({
  op: 'set',
  record_id: REC,
  field_id: STAGE,
  from: null,
  to,
});

describe('SaveQueue.hold (a card moved on a board, outside the outbox)', () => {
  const globals = globalThis as unknown as Record<string, unknown>;
  let queue: SaveQueue;

  beforeAll(() => {
    globals.window = new EventTarget();
    globals.localStorage = new MemoryStorage();
    globals.sessionStorage = new MemoryStorage();
  });
  afterAll(() => {
    delete globals.window;
    delete globals.localStorage;
    delete globals.sessionStorage;
  });
  beforeEach(() => {
    (globals.localStorage as MemoryStorage).clear();
    queue = new SaveQueue('usr1', { onResult: () => undefined, onRejected: () => undefined });
  });
  afterEach(() => queue.stop());

  it('makes the cell dirty until released, and writes nothing to the outbox', () => {
    // Given a queue with nothing pending
    expect(queue.isDirty(REC, STAGE)).toBe(false);
    // When a move holds the cell
    const release = queue.hold(REC, STAGE);
    // Then live events see the cell as the person's own, though nothing is queued or stored to send
    expect(queue.isDirty(REC, STAGE)).toBe(true);
    expect(queue.isDirty(REC, 'fldOther000000001')).toBe(false);
    expect(queue.hasPending()).toBe(false);
    expect(queue.state.pending).toBe(0);
    expect((globals.localStorage as MemoryStorage).length).toBe(0);
    // And once the move's answer has come, the cell is free again
    release();
    expect(queue.isDirty(REC, STAGE)).toBe(false);
  });

  it('counts two moves of the same card apart: the first answer does not free the second', () => {
    const first = queue.hold(REC, STAGE);
    const second = queue.hold(REC, STAGE);
    first();
    expect(queue.isDirty(REC, STAGE)).toBe(true);
    second();
    expect(queue.isDirty(REC, STAGE)).toBe(false);
  });

  it('releases once however often it is called, leaving a grid edit of the cell dirty', () => {
    // Given a held cell that the grid then edits too (queued, not yet sent)
    const release = queue.hold(REC, STAGE);
    queue.enqueue([set('Committed')]);
    // When the move's release runs twice (an answer, then a failure path's finally)
    release();
    release();
    // Then the grid's queued edit still holds the cell
    expect(queue.isDirty(REC, STAGE)).toBe(true);
    expect(queue.hasPending()).toBe(true);
  });
});

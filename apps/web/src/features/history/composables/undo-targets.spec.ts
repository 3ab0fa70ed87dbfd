import type { UndoStackEntry } from '../api/history.api';
import { redoTarget, undoTarget } from './undo-targets';

let n = 100;
const edit = (id: string, undone_by: string | null = null): UndoStackEntry => ({
  correlation_id: id,
  position: n--,
  recorded_at: '',
  source: 'grid',
  kind: 'edit',
  undoes: null,
  events: 1,
  summary: id,
  undone: undone_by !== null,
  undone_by,
});
const undo = (id: string, undoes: string, undone_by: string | null = null): UndoStackEntry => ({
  ...edit(id, undone_by),
  kind: 'undo',
  undoes,
});

describe('which batch Ctrl+Z and Ctrl+Shift+Z act on (the server stack, newest first)', () => {
  it('undo takes the newest edit that still stands', () => {
    expect(undoTarget([undo('u2', 'b'), edit('b', 'u2'), edit('a')])?.correlation_id).toBe('a');
    expect(undoTarget([undo('u1', 'a'), edit('a', 'u1')])).toBeUndefined();
  });

  it('redo takes back the newest undo, one after another', () => {
    const stack = [undo('ua', 'a'), undo('ub', 'b'), edit('b', 'ub'), edit('a', 'ua')];
    expect(redoTarget(stack)?.correlation_id).toBe('ua');
    // After redoing a: the redo is an undo of ua, and ua is undone.
    const after = [
      undo('r1', 'ua'),
      undo('ua', 'a', 'r1'),
      undo('ub', 'b'),
      edit('b', 'ub'),
      edit('a'),
    ];
    expect(redoTarget(after)?.correlation_id).toBe('ub');
  });

  it('a new edit after an undo ends the redo chain', () => {
    expect(redoTarget([edit('c'), undo('ub', 'b'), edit('b', 'ub')])).toBeUndefined();
  });

  it('nothing to redo once the undo was redone', () => {
    expect(redoTarget([undo('r1', 'ua'), undo('ua', 'a', 'r1'), edit('a')])).toBeUndefined();
  });
});

import type { CellValue } from '@crm/events';
import type { ChangeOp, Conflict } from '../api/fundraising.api';
import { BaseModel } from './base-model';
import { ConflictBook, type ConflictInfo } from './conflict-book';

const NAME = 'fldName0000000001';
const REC = 'rec00000000000001';

/** A base with one investor whose name the person changed to "Mine" while someone saved "Theirs". */
function bookWithConflict() {
  const model = new BaseModel();
  model.load({
    version: 1,
    updated_at: null,
    updated_by: null,
    views: [],
    tables: [
      {
        id: 'tbl00000000000001',
        name: 'Investors',
        role: 'investors',
        primary_field_id: NAME,
        fields: [{ id: NAME, name: 'Name', type: 'text', options: {}, role: null }],
        records: [
          {
            id: REC,
            values: { [NAME]: 'Mine' },
            created_at: '2026-01-01T00:00:00.000Z',
            created_by: 'usr1',
            updated_at: '2026-01-01T00:00:00.000Z',
            updated_by: 'usr1',
          },
        ],
      },
    ],
  });
  const ui = { conflict: null as ConflictInfo | null, conflictCount: 0 };
  const sent: ChangeOp[] = [];
  const book = new ConflictBook({
    model,
    ui,
    enqueue: (ops) => sent.push(...ops),
    render: () => {},
  });
  const conflict: Conflict = {
    record_id: REC,
    field_id: NAME,
    expected: 'Before',
    current: 'Theirs',
    updated_at: '2026-01-01T00:01:00.000Z',
    updated_by: 'usr2',
  };
  const info = book.add([conflict])!;
  ui.conflict = info;
  const cell = (): CellValue => model.record(REC)!.row[0];
  return { book, ui, sent, info, cell };
}

describe('ConflictBook: a lost compare-and-set stays marked until the person decides', () => {
  it('decide later: the popover closes, the cell stays marked and nothing is sent', () => {
    const { book, ui, sent, cell } = bookWithConflict();

    book.decideLater();

    expect(ui.conflict).toBeNull();
    expect(book.has(REC, NAME)).toBe(true);
    expect(ui.conflictCount).toBe(1);
    expect(sent).toEqual([]);
    expect(cell()).toBe('Mine');
  });

  it('keep mine: sends my value again against theirs, and the mark goes', () => {
    const { book, ui, sent, info } = bookWithConflict();

    book.keepMine(info);

    expect(sent).toEqual([
      { op: 'set', record_id: REC, field_id: NAME, from: 'Theirs', to: 'Mine' },
    ]);
    expect(book.has(REC, NAME)).toBe(false);
    expect(ui).toEqual({ conflict: null, conflictCount: 0 });
  });

  it('take theirs: the cell shows their value, nothing is sent, and the mark goes', () => {
    const { book, ui, sent, info, cell } = bookWithConflict();

    book.takeTheirs(info);

    expect(cell()).toBe('Theirs');
    expect(sent).toEqual([]);
    expect(book.has(REC, NAME)).toBe(false);
    expect(ui).toEqual({ conflict: null, conflictCount: 0 });
  });
});

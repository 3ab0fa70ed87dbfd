import { describeBatch, type BatchFacts } from './describe-batch';

const facts = (over: Partial<BatchFacts>): BatchFacts => ({
  source: 'grid',
  causation_id: null,
  types: {},
  cells: 0,
  file_name: null,
  restored_to: null,
  others: [],
  ...over,
});

describe('describeBatch: one line for a batch of events', () => {
  it('given an import of new and changed records, when described, then it names the counts and the file', () => {
    const d = describeBatch(
      facts({
        source: 'import',
        types: {
          RecordCreated: { events: 1825, records: 1825 },
          RecordUpdated: { events: 15, records: 15 },
        },
        cells: 40,
        file_name: 'Investors-Grid view.csv',
      }),
    );
    expect(d).toEqual({
      kind: 'import',
      detail: 'imported 1,825 records, updated 15 records',
      summary: 'imported 1,825 records, updated 15 records from "Investors-Grid view.csv"',
    });
  });

  it('given a paste over several records, when described, then it counts cells and records', () => {
    expect(
      describeBatch(facts({ types: { RecordUpdated: { events: 10, records: 10 } }, cells: 40 }))
        .summary,
    ).toBe('changed 40 cells in 10 records');
    expect(
      describeBatch(facts({ types: { RecordUpdated: { events: 1, records: 1 } }, cells: 1 }))
        .summary,
    ).toBe('changed 1 cell in 1 record');
  });

  it('given a restore to a moment, when described, then it leads with the moment and keeps the detail apart', () => {
    const d = describeBatch(
      facts({
        source: 'restore',
        causation_id: 'restore:{"at":"2026-12-01T10:00:00.000Z","position":40}',
        restored_to: '2026-12-01T10:00:00.000Z',
        types: { RecordArchived: { events: 3, records: 3 }, ViewSaved: { events: 1, records: 0 } },
        others: ['changed view "Pipeline"'],
      }),
    );
    expect(d).toEqual({
      kind: 'restore',
      detail: 'archived 3 records, changed view "Pipeline"',
      summary:
        'restored the base to 2026-12-01T10:00:00.000Z (archived 3 records, changed view "Pipeline")',
    });
  });

  it("given a rollback of a batch, of a person's edits, or an undo, when described, then each says so", () => {
    const archived = { RecordArchived: { events: 2, records: 2 } };
    expect(
      describeBatch(
        facts({
          source: 'restore',
          causation_id: 'restore:{"correlation_id":"cor_1"}',
          types: archived,
        }),
      ).summary,
    ).toBe('rolled back a batch (archived 2 records)');
    expect(
      describeBatch(
        facts({
          source: 'restore',
          causation_id: 'restore:{"actor_id":"usr_1","from":"a","to":"b"}',
          types: archived,
        }),
      ).summary,
    ).toBe("rolled back one person's edits (archived 2 records)");
    expect(
      describeBatch(
        facts({
          causation_id: 'undo:cor_9',
          types: { RecordUnarchived: { events: 2, records: 2 } },
        }),
      ).summary,
    ).toBe('undid a batch (brought back 2 records)');
  });

  it('given more schema changes than it shows, when described, then it counts the rest', () => {
    const d = describeBatch(
      facts({
        types: { FieldRemoved: { events: 3, records: 0 } },
        others: ['removed field "A"', 'removed field "B"'],
      }),
    );
    expect(d.summary).toBe('removed field "A", removed field "B", 1 more change');
  });
});

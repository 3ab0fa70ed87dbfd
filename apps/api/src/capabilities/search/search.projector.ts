import { type CellValues, type FundraisingEvent, type RecordedEvent } from '@crm/events';
import { type TableState } from '@crm/domain';
import { type FundraisingRepository } from '../fundraising';
import { fold, SEARCHED_TYPES, searchText } from './search-text';
import { type SearchRepository } from './search.repository';

/** The events the index is made from; the indexer reads no others. */
export const SEARCH_EVENT_TYPES: readonly string[] = [
  'RecordCreated',
  'RecordUpdated',
  'RecordArchived',
  'RecordUnarchived',
  'FieldRemoved',
  'FieldRetyped',
];

/**
 * The search index's reading of the log: the text of every text-like cell (names, emails, URLs,
 * notes, choices). It runs after commit (see SearchIndexer), against the grid's schema as it is
 * then; a field removed or retyped is indexed again from the records as the grid holds them, so a
 * late run over many events ends where a run at each commit ends.
 */
export class SearchProjector {
  constructor(
    private readonly grid: FundraisingRepository,
    private readonly index: SearchRepository,
  ) {}

  apply(recorded: RecordedEvent): void {
    const event = recorded as unknown as FundraisingEvent;
    switch (event.type) {
      case 'RecordCreated':
        this.cells(event.data.table_id, event.data.record_id, event.data.values, false);
        break;
      case 'RecordUpdated': {
        const values: CellValues = {};
        for (const c of event.data.changes) values[c.field_id] = c.to;
        this.cells(event.data.table_id, event.data.record_id, values, null);
        break;
      }
      case 'RecordArchived':
      case 'RecordUnarchived':
        this.index.setArchived(event.data.record_id, event.type === 'RecordArchived');
        break;
      case 'FieldRemoved':
      case 'FieldRetyped': {
        const fieldId = event.type === 'FieldRemoved' ? event.data.field.id : event.data.field_id;
        this.index.dropField(fieldId);
        const table = this.grid.table(event.data.table_id);
        if (event.type === 'FieldRetyped' && table) this.reindexField(table, fieldId);
        break;
      }
      default:
        break;
    }
  }

  reset(): void {
    this.index.reset();
  }

  /** Cells of one record; `archived` null: as the record is (an update). */
  private cells(
    tableId: string,
    recordId: string,
    values: CellValues,
    archived: boolean | null,
  ): void {
    const table = this.grid.table(tableId);
    if (!table) return;
    // Looked up once per record, and only when one of its cells is searched (an update does not say).
    let isArchived = archived;
    for (const field of table.fields) {
      if (!(field.id in values) || !SEARCHED_TYPES.has(field.type)) continue;
      isArchived ??= this.isArchived(recordId);
      const text = searchText(values[field.id]);
      const entry = {
        record_id: recordId,
        table_id: tableId,
        field_id: field.id,
        is_primary: field.id === table.primary_field_id,
        archived: isArchived,
        text,
      };
      this.index.put(entry, text === null ? null : fold(text));
    }
  }

  /** As the record's other entries say; a record with none yet is read from the grid. */
  private isArchived(recordId: string): boolean {
    return this.index.archivedOf(recordId) ?? this.grid.record(recordId)?.archived ?? false;
  }

  private reindexField(table: TableState, fieldId: string): void {
    const field = table.fields.find((f) => f.id === fieldId);
    if (!field || !SEARCHED_TYPES.has(field.type)) return;
    for (const r of this.grid.recordsOf(table.id))
      this.cells(table.id, r.id, { [fieldId]: r.values[fieldId] ?? null }, r.archived);
  }
}

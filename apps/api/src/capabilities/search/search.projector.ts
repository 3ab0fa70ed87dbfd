import { type CellValues, type FundraisingEvent, type RecordedEvent } from '@crm/events';
import { type TableState } from '@crm/domain';
import { type Projector } from '../../infrastructure/projections/projector';
import { type FundraisingRepository } from '../fundraising';
import { entryId, fold, SEARCHED_TYPES, searchText } from './search-text';
import { type SearchEntry, type SearchRepository } from './search.repository';

/** A replay's entries, written once at the end, and the archived state of the records it saw change. */
interface Bulk {
  entries: Map<bigint, SearchEntry & { folded: string }>;
  archived: Map<string, boolean>;
  /** Some entries were written before the end (a field change): they are in the index already. */
  flushed: boolean;
}

/**
 * The search index: the text of every text-like cell (names, emails, URLs, notes, choices), kept
 * from the grid's events. It runs after the grid projector, whose schema it reads. A field removed
 * or retyped is indexed again from the records as the grid holds them then.
 */
export class SearchProjector implements Projector {
  readonly name = 'search';
  readonly tables = ['search_entries'] as const;
  private bulk: Bulk | null = null;

  constructor(
    private readonly grid: FundraisingRepository,
    private readonly index: SearchRepository,
  ) {}

  beginBulk(): void {
    this.bulk = { entries: new Map(), archived: new Map(), flushed: false };
  }

  endBulk(): void {
    const bulk = this.bulk;
    this.bulk = null;
    if (bulk) this.writeHeld(bulk);
  }

  private writeHeld(bulk: Bulk): void {
    for (const e of bulk.entries.values())
      e.archived = bulk.archived.get(e.record_id) ?? e.archived;
    this.index.bulkInsert(bulk.entries.values());
    bulk.entries.clear();
    bulk.flushed = true;
  }

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
      case 'RecordUnarchived': {
        const archived = event.type === 'RecordArchived';
        // Held entries take it when written; entries written already are changed now.
        this.bulk?.archived.set(event.data.record_id, archived);
        this.index.setArchived(event.data.record_id, archived);
        break;
      }
      case 'FieldRemoved':
      case 'FieldRetyped': {
        const fieldId = event.type === 'FieldRemoved' ? event.data.field.id : event.data.field_id;
        this.flushBulk();
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
    for (const field of table.fields) {
      if (!(field.id in values) || !SEARCHED_TYPES.has(field.type)) continue;
      const text = searchText(values[field.id]);
      const id = entryId(recordId, field.id);
      const is_primary = field.id === table.primary_field_id;
      const entry = {
        id,
        record_id: recordId,
        table_id: tableId,
        field_id: field.id,
        is_primary,
        archived: false,
        text,
      };
      if (this.bulk && !this.inIndex(id)) {
        // A replay starts from nothing: a record is live unless the replay saw it archived.
        if (text === null) this.bulk.entries.delete(id);
        else this.bulk.entries.set(id, { ...entry, text, folded: fold(text) });
      } else if (this.bulk) {
        entry.archived = this.bulk.archived.get(recordId) ?? false;
        this.index.put(entry, text === null ? null : fold(text));
      } else {
        entry.archived = archived ?? this.isArchived(recordId);
        this.index.put(entry, text === null ? null : fold(text));
      }
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

  /** Entries held by a replay are written before a change that reads or rewrites the index. */
  private flushBulk(): void {
    if (this.bulk) this.writeHeld(this.bulk);
  }

  /** True when a replay wrote this entry already (before a field change): it is changed in place. */
  private inIndex(id: bigint): boolean {
    return this.bulk!.flushed && !this.bulk!.entries.has(id) && this.index.has(id);
  }
}

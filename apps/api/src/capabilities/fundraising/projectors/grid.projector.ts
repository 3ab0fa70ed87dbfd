import { FundraisingEvent, RecordedEvent } from '@crm/events';
import { evolveRecord, evolveTable } from '@crm/domain';
import { Projector } from '../../../infrastructure/projections/projector';
import { FundraisingRepository } from '../fundraising.repository';

/**
 * The grid: `fundraising_tables`, `fundraising_records` and the `fundraising_state` head row.
 * State changes go through the domain's evolve functions, so the grid and a replay agree.
 */
export class GridProjector implements Projector {
  readonly name = 'grid';
  readonly tables = ['fundraising_records', 'fundraising_tables', 'fundraising_state'] as const;

  constructor(private readonly repo: FundraisingRepository) {}

  apply(recorded: RecordedEvent): void {
    const event = recorded as unknown as FundraisingEvent;
    const stamp = { recorded_at: recorded.recorded_at, actor_id: recorded.metadata.actor_id };
    switch (event.type) {
      case 'TableCreated': {
        if (this.repo.table(event.data.table_id)) break;
        this.repo.insertTable(evolveTable(undefined, event)!);
        break;
      }
      case 'TableRenamed':
      case 'FieldAdded':
      case 'FieldRenamed':
      case 'FieldRetyped':
      case 'FieldRemoved': {
        const table = this.repo.table(event.data.table_id);
        if (!table || table.version >= recorded.stream_version) break;
        this.repo.updateTable(evolveTable(table, event)!);
        if (event.type === 'FieldRemoved') this.repo.stripField(table.id, event.data.field.id);
        break;
      }
      case 'RecordCreated': {
        if (this.repo.record(event.data.record_id)) break;
        this.repo.insertRecord(evolveRecord(undefined, event, stamp)!, recorded.position);
        break;
      }
      case 'RecordUpdated':
      case 'RecordArchived':
      case 'RecordUnarchived': {
        const record = this.repo.record(event.data.record_id);
        if (!record || record.version >= recorded.stream_version) break;
        this.repo.updateRecord(evolveRecord(record, event, stamp)!);
        break;
      }
      default:
        break;
    }
    this.repo.setState(recorded.position, recorded.recorded_at, recorded.metadata.actor_id);
  }

  reset(): void {
    for (const t of this.tables) this.repo.db.prepare(`DELETE FROM ${t}`).run();
    this.repo.invalidateSchema();
  }
}

import { type RecordedEvent } from '@crm/events';
import { type Projector } from '../../infrastructure/projections/projector';
import {
  ACTIVITY_BATCHES,
  type ActivityBatchesRepository,
  type BatchTypeRow,
} from './activity-batches.repository';

type Tally = BatchTypeRow & { streams: Set<string> };

/**
 * The activity feed's batch summaries: per correlation of more than one event, per event type, its
 * span, events, distinct records, changed cells and import file. A correlation's events may come
 * over several appends (an import's slices) or be cut by a replay's batches; the rows add up the
 * same either way, so a rebuild equals the live table. A single event (a cell edit) writes nothing:
 * it costs one look-up of the correlation's index.
 */
export class ActivityBatchesProjector implements Projector {
  readonly name = ACTIVITY_BATCHES;
  readonly tables = ['activity_batch_types'] as const;

  constructor(private readonly repo: ActivityBatchesRepository) {}

  async apply(events: readonly RecordedEvent[]): Promise<void> {
    const groups = new Map<string, RecordedEvent[]>();
    for (const e of events) {
      const c = e.metadata.correlation_id;
      if (!c) continue;
      const g = groups.get(c);
      if (g) g.push(e);
      else groups.set(c, [e]);
    }
    if (groups.size === 0) return;
    // A correlation's events in this read are all in its group: whether it has earlier ones is
    // whether it has any before the read's first event, asked for every group at once.
    const withEarlier = this.repo.withEarlier([...groups.keys()], events[0].position);
    for (const [c, g] of groups) this.project(c, g, withEarlier.has(c));
  }

  private project(correlationId: string, group: RecordedEvent[], earlier: boolean): void {
    const start = group[0].position;
    if (!earlier && group.length < 2) return;
    const known = earlier ? new Set(this.repo.rows(correlationId).map((r) => r.type)) : new Set();
    // The correlation's first event, alone in its append until now, joins the batch's rows.
    const events =
      earlier && known.size === 0
        ? [...this.repo.earlierEvents(correlationId, start), ...group]
        : group;
    for (const t of tally(events).values()) {
      // A record already counted under this type by an earlier append of the batch counts once.
      let records = t.streams.size;
      if (known.has(t.type) && t.type !== 'RecordCreated')
        for (const s of t.streams)
          if (this.repo.streamSeenBefore(s, correlationId, t.type, start)) records--;
      this.repo.add(correlationId, { ...t, records });
    }
  }

  async reset(): Promise<void> {
    this.repo.reset();
  }
}

/** Per type: span, events, streams, cells an update changed, the first import file named. */
function tally(events: readonly RecordedEvent[]): Map<string, Tally> {
  const out = new Map<string, Tally>();
  for (const e of events) {
    let t = out.get(e.type);
    if (!t) {
      t = {
        type: e.type,
        first_position: e.position,
        last_position: e.position,
        events: 0,
        records: 0,
        cells: 0,
        file_name: null,
        streams: new Set(),
      };
      out.set(e.type, t);
    }
    const d = e.data as { changes?: unknown[]; provenance?: { file_name?: string } } | null;
    t.last_position = e.position;
    t.events++;
    t.streams.add(e.stream_id);
    if (e.type === 'RecordUpdated' && Array.isArray(d?.changes)) t.cells += d.changes.length;
    t.file_name ??= d?.provenance?.file_name ?? null;
  }
  return out;
}

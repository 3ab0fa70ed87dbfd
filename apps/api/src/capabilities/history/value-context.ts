import { type FieldDefinition } from '@crm/events';
import { type LogRepository } from './log.repository';
import { type FundraisingRepository } from '../fundraising';

/** What a page of history shows values about: the records it concerns and the cells it lists. */
export interface ValuesShown {
  record_id?: string | null;
  changes?: readonly { field_id: string; from: unknown; to: unknown }[];
}

/**
 * How to show the values of a page of history: the definitions of their fields (so the app formats
 * them as the grid does) and the names of the records they concern or link to. Names are read for
 * the page only, so an answer stays as small as its page.
 */
export class ValueContext {
  constructor(
    private readonly repo: FundraisingRepository,
    private readonly log: LogRepository,
  ) {}

  /** Every field there is, and every removed one as it was when removed. */
  fields(): Map<string, FieldDefinition> {
    const fields = new Map<string, FieldDefinition>();
    for (const e of this.log.byTypes(['FieldRemoved'])) {
      const f = (e.data as { field: FieldDefinition }).field;
      fields.set(f.id, f);
    }
    for (const t of this.repo.tables()) for (const f of t.fields) fields.set(f.id, f);
    return fields;
  }

  /** A record's primary field as it is now, as text; null when it has none (or the record is gone). */
  recordName(id: string): string | null {
    const r = this.repo.record(id);
    const t = r && this.repo.table(r.table_id);
    const v = t ? r.values[t.primary_field_id] : undefined;
    if (typeof v === 'string') return v.trim() || null;
    if (typeof v === 'number') return String(v);
    return null;
  }

  forPage(
    items: Iterable<ValuesShown>,
    all = this.fields(),
  ): { fields: Record<string, FieldDefinition>; names: Record<string, string> } {
    const fields: Record<string, FieldDefinition> = {};
    const ids = new Set<string>();
    for (const item of items) {
      if (item.record_id) ids.add(item.record_id);
      for (const c of item.changes ?? []) {
        const f = all.get(c.field_id);
        if (!f) continue;
        fields[f.id] = f;
        if (f.type !== 'link') continue;
        for (const v of [c.from, c.to])
          if (Array.isArray(v)) for (const id of v) if (typeof id === 'string') ids.add(id);
      }
    }
    const names: Record<string, string> = {};
    for (const id of ids) {
      const name = this.recordName(id);
      if (name !== null) names[id] = name;
    }
    return { fields, names };
  }
}

import { type CellValue, type FundraisingEvent, type RecordedEvent } from '@crm/events';
import { type TableState, TABLE_ROLES } from '@crm/domain';
import type { Statement } from 'better-sqlite3';
import { type Projector } from '../../../infrastructure/projections/projector';
import { type FundraisingRepository } from '../fundraising.repository';

type ColumnKind = 'text' | 'real' | 'integer' | 'list' | { link: string };

interface Mapping {
  sqlTable: string;
  /** field role → [column, kind]; these names are the allow-list for the dynamic SQL below. */
  columns: Record<string, [string, ColumnKind]>;
}

const MAPPINGS: Record<string, Mapping> = {
  [TABLE_ROLES.investors]: {
    sqlTable: 'fundraising_investors',
    columns: {
      'investor.name': ['name', 'text'],
      'investor.type': ['type', 'text'],
      'investor.status': ['status', 'text'],
      'investor.stage': ['stage', 'text'],
      'investor.owner': ['owner', 'text'],
      'investor.target_commitment': ['target_commitment', 'real'],
      'investor.committed_amount': ['committed_amount', 'real'],
      'investor.last_contacted': ['last_contacted', 'text'],
      'investor.next_step': ['next_step', 'text'],
      'investor.website': ['website', 'text'],
      'investor.tags': ['tags', 'list'],
      'investor.notes': ['notes', 'text'],
    },
  },
  [TABLE_ROLES.funds]: {
    sqlTable: 'fundraising_funds',
    columns: {
      'fund.name': ['name', 'text'],
      'fund.vintage': ['vintage', 'integer'],
      'fund.target_size': ['target_size', 'real'],
      'fund.currency': ['currency', 'text'],
      'fund.status': ['status', 'text'],
    },
  },
  [TABLE_ROLES.contacts]: {
    sqlTable: 'fundraising_contacts',
    columns: {
      'contact.name': ['name', 'text'],
      'contact.email': ['email', 'text'],
      'contact.phone': ['phone', 'text'],
      'contact.title': ['title', 'text'],
      'contact.investor': ['investor_id', { link: TABLE_ROLES.investors }],
      'contact.notes': ['notes', 'text'],
    },
  },
  [TABLE_ROLES.commitments]: {
    sqlTable: 'fundraising_commitments',
    columns: {
      'commitment.name': ['name', 'text'],
      'commitment.investor': ['investor_id', { link: TABLE_ROLES.investors }],
      'commitment.fund': ['fund_id', { link: TABLE_ROLES.funds }],
      'commitment.amount': ['amount', 'real'],
      'commitment.date': ['date', 'text'],
      'commitment.status': ['status', 'text'],
    },
  },
};

/** A role field's column: where its value goes and how it is stored. */
interface Column {
  column: string;
  kind: ColumnKind;
  linkTable: string | undefined;
}

interface Target {
  table: TableState;
  mapping: Mapping;
  /** field id → column, for the fields whose role has one. */
  columns: Map<string, Column>;
}

function columnsOf(table: TableState, mapping: Mapping): Map<string, Column> {
  const out = new Map<string, Column>();
  const seen = new Set<string>();
  for (const field of table.fields) {
    // The first field with an id decides, as a lookup by id would find it.
    if (seen.has(field.id)) continue;
    seen.add(field.id);
    const m = field.role ? mapping.columns[field.role] : undefined;
    if (m)
      out.set(field.id, {
        column: m[0],
        kind: m[1],
        linkTable: field.options.table_id as string | undefined,
      });
  }
  return out;
}

/**
 * The typed relational tables: one real column per role field, foreign keys between them, and
 * `deleted_at` for archived records. It reads the schema the grid projector (run before it) keeps.
 */
export class RelationalProjector implements Projector {
  readonly name = 'relational';
  readonly tables = [
    'fundraising_commitments',
    'fundraising_contacts',
    'fundraising_funds',
    'fundraising_investors',
  ] as const;
  private readonly cache = new Map<string, Statement>();
  private readonly targets = new WeakMap<TableState, Target | null>();
  /** Rebuild mode: whole rows by table, inserted once (parents first) at endBulk. */
  private bulk: Map<string, Map<string, Record<string, unknown>>> | null = null;

  constructor(private readonly repo: FundraisingRepository) {}

  async beginBulk(): Promise<void> {
    this.bulk = new Map(Object.values(MAPPINGS).map((m) => [m.sqlTable, new Map()]));
  }

  async endBulk(): Promise<void> {
    const bulk = this.bulk;
    this.bulk = null;
    if (!bulk) return;
    // Parents before children, so that foreign keys hold at every insert.
    for (const mapping of [
      MAPPINGS.investors,
      MAPPINGS.funds,
      MAPPINGS.contacts,
      MAPPINGS.commitments,
    ]) {
      const cols = [
        'id',
        'created_at',
        'updated_at',
        'deleted_at',
        ...Object.values(mapping.columns).map((c) => c[0]),
      ];
      const insert = this.stmt(
        `INSERT OR IGNORE INTO ${mapping.sqlTable} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`,
      );
      for (const row of bulk.get(mapping.sqlTable)!.values())
        insert.run(...cols.map((c) => row[c] ?? null));
    }
  }

  async apply(events: readonly RecordedEvent[]): Promise<void> {
    for (const e of events) this.project(e);
  }

  private project(recorded: RecordedEvent): void {
    if (this.bulk) return this.applyBulk(recorded, this.bulk);
    const event = recorded as unknown as FundraisingEvent;
    switch (event.type) {
      case 'RecordCreated': {
        const target = this.target(event.data.table_id);
        if (!target) return;
        const cols: string[] = [];
        const vals: unknown[] = [];
        for (const field of target.table.fields) {
          const m = field.role ? target.mapping.columns[field.role] : undefined;
          if (!m || !(field.id in event.data.values)) continue;
          cols.push(m[0]);
          vals.push(
            this.toColumn(
              event.data.values[field.id],
              m[1],
              field.options.table_id as string | undefined,
            ),
          );
        }
        const sql = `INSERT OR IGNORE INTO ${target.mapping.sqlTable} (id, created_at, updated_at${cols.map((c) => `, ${c}`).join('')}) VALUES (?, ?, ?${cols.map(() => ', ?').join('')})`;
        this.stmt(sql).run(
          event.data.record_id,
          recorded.recorded_at,
          recorded.recorded_at,
          ...vals,
        );
        return;
      }
      case 'RecordUpdated': {
        const target = this.target(event.data.table_id);
        if (!target) return;
        const sets: string[] = [];
        const vals: unknown[] = [];
        for (const c of event.data.changes) {
          const field = target.table.fields.find((f) => f.id === c.field_id);
          const m = field?.role ? target.mapping.columns[field.role] : undefined;
          if (!field || !m) continue;
          sets.push(`${m[0]} = ?`);
          vals.push(this.toColumn(c.to, m[1], field.options.table_id as string | undefined));
        }
        this.stmt(
          `UPDATE ${target.mapping.sqlTable} SET updated_at = ?${sets.map((s) => `, ${s}`).join('')} WHERE id = ?`,
        ).run(recorded.recorded_at, ...vals, event.data.record_id);
        return;
      }
      case 'RecordArchived':
      case 'RecordUnarchived': {
        const target = this.target(event.data.table_id);
        if (!target) return;
        this.stmt(
          `UPDATE ${target.mapping.sqlTable} SET deleted_at = ?, updated_at = ? WHERE id = ?`,
        ).run(
          event.type === 'RecordArchived' ? recorded.recorded_at : null,
          recorded.recorded_at,
          event.data.record_id,
        );
        return;
      }
      case 'FieldRemoved': {
        const target = this.target(event.data.table_id);
        const m =
          target && event.data.field.role
            ? target.mapping.columns[event.data.field.role]
            : undefined;
        if (target && m) this.stmt(`UPDATE ${target.mapping.sqlTable} SET ${m[0]} = NULL`).run();
        return;
      }
      default:
        return;
    }
  }

  private applyBulk(
    recorded: RecordedEvent,
    bulk: Map<string, Map<string, Record<string, unknown>>>,
  ): void {
    const event = recorded as unknown as FundraisingEvent;
    const d = event.data as { table_id?: string; record_id?: string };
    const target = d.table_id ? this.target(d.table_id) : undefined;
    if (!target) return;
    const rows = bulk.get(target.mapping.sqlTable)!;
    switch (event.type) {
      case 'RecordCreated': {
        if (rows.has(event.data.record_id)) return;
        const row: Record<string, unknown> = {
          id: event.data.record_id,
          created_at: recorded.recorded_at,
          updated_at: recorded.recorded_at,
        };
        const values = event.data.values;
        for (const fieldId in values) {
          const col = target.columns.get(fieldId);
          if (col) row[col.column] = this.toColumn(values[fieldId], col.kind, col.linkTable);
        }
        rows.set(event.data.record_id, row);
        return;
      }
      case 'RecordUpdated': {
        const row = rows.get(event.data.record_id);
        if (!row) return;
        row.updated_at = recorded.recorded_at;
        for (const c of event.data.changes) {
          const col = target.columns.get(c.field_id);
          if (col) row[col.column] = this.toColumn(c.to, col.kind, col.linkTable);
        }
        return;
      }
      case 'RecordArchived':
      case 'RecordUnarchived': {
        const row = rows.get(event.data.record_id);
        if (!row) return;
        row.deleted_at = event.type === 'RecordArchived' ? recorded.recorded_at : null;
        row.updated_at = recorded.recorded_at;
        return;
      }
      case 'FieldRemoved': {
        const m = event.data.field.role ? target.mapping.columns[event.data.field.role] : undefined;
        if (m) for (const row of rows.values()) row[m[0]] = null;
        return;
      }
      default:
        return;
    }
  }

  async reset(): Promise<void> {
    for (const t of this.tables) this.repo.db.prepare(`DELETE FROM ${t}`).run();
  }

  private target(tableId: string): Target | undefined {
    const table = this.repo.table(tableId);
    if (!table) return undefined;
    // Table states are replaced, never changed, when the schema moves: one lookup per state.
    let target = this.targets.get(table);
    if (target === undefined) {
      const mapping = table.role ? MAPPINGS[table.role] : undefined;
      target = mapping ? { table, mapping, columns: columnsOf(table, mapping) } : null;
      this.targets.set(table, target);
    }
    return target ?? undefined;
  }

  private toColumn(
    v: CellValue | undefined,
    kind: ColumnKind,
    linkTable: string | undefined,
  ): unknown {
    if (v === undefined || v === null) return null;
    if (typeof kind === 'object') {
      // Only a link into the expected table can be a foreign key; anything else stays empty.
      const expected = this.repo.tableByRole(kind.link);
      return Array.isArray(v) && v.length && expected && expected.id === linkTable
        ? String(v[0])
        : null;
    }
    if (kind === 'list')
      return Array.isArray(v) ? (v.length ? JSON.stringify(v) : null) : JSON.stringify([v]);
    if (kind === 'integer') return typeof v === 'number' ? Math.trunc(v) : null;
    if (kind === 'real') return typeof v === 'number' ? v : null;
    return Array.isArray(v) ? v.join(', ') : typeof v === 'boolean' ? (v ? 1 : 0) : v;
  }

  private stmt(sql: string): Statement {
    let s = this.cache.get(sql);
    if (!s) {
      s = this.repo.db.prepare(sql);
      this.cache.set(sql, s);
    }
    return s;
  }
}

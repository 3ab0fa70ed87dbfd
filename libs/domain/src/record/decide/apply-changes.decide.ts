import {
  type CellValue,
  type CellValues,
  type FieldDefinition,
  type FundraisingEvent,
  streams,
} from '@crm/events';
import { type DecideContext, type Decision, DecisionBuilder } from '../../base/decide-context';
import { illegal, invalid, notFound } from '../../errors';
import { LIMITS } from '../../values/limits';
import { normalizeCell, valuesEqual } from '../../values/normalize';
import { requireTeamMembers } from '../../values/user-value';
import { requireTable } from '../../table/table.lookup';
import { inverseOf } from '../../table/link-inverse';
import { fieldOf, type TableState } from '../../table/table.state';
import { evolveRecord } from '../record.evolve';
import { cellValue, type RecordState } from '../record.state';

export type ChangeOp =
  | { op: 'create'; table_id: string; record_id: string; values?: Record<string, unknown> }
  | { op: 'set'; record_id: string; field_id: string; from: unknown; to: unknown }
  | { op: 'archive' | 'unarchive'; record_id: string };

export interface ApplyChanges {
  changes: ChangeOp[];
  /** Time and actor stamp the working state, so later changes in the batch see earlier ones. */
  at: string;
  actor_id: string;
}

export interface AppliedChange {
  index: number;
  op: ChangeOp['op'];
  record_id: string;
  field_id?: string;
  /** false when the cell already held the value (nothing appended for it). */
  changed: boolean;
}

export interface ChangesDecision extends Decision {
  applied: AppliedChange[];
}

/**
 * The grid's write path: creates, compare-and-set cell edits and archives, in order, as one batch.
 * A cell edit applies when the cell holds `from` (or already holds `to`); otherwise that cell alone
 * is a conflict and the rest of the batch still applies. Any invalid change rejects the whole batch.
 */
export function decideChanges(cmd: ApplyChanges, ctx: DecideContext): ChangesDecision {
  if (!Array.isArray(cmd.changes) || cmd.changes.length === 0)
    throw invalid('changes must be a non-empty list', { field: 'changes' });
  if (cmd.changes.length > LIMITS.changesPerBatch)
    throw invalid(`at most ${LIMITS.changesPerBatch} changes in one batch`, { field: 'changes' });
  const w = new ChangesWork(ctx, cmd);
  const applied: AppliedChange[] = [];
  for (let index = 0; index < cmd.changes.length; index++) {
    const outcome = apply(w, index);
    if (outcome) applied.push(outcome);
  }
  w.flushMirrors();
  return { ...w.b.build(), applied };
}

/** One change of the batch, against the records as the earlier changes left them; null for a conflict. */
function apply(w: ChangesWork, index: number): AppliedChange | null {
  const change = w.cmd.changes[index];
  switch (change.op) {
    case 'create':
      return applyCreate(w, change, index);
    case 'set':
      return applySet(w, change, index);
    case 'archive':
    case 'unarchive': {
      const record = w.requireRecord(change.record_id, index);
      const archive = change.op === 'archive';
      if (record.archived !== archive) {
        w.emit(record, record.id, {
          type: archive ? 'RecordArchived' : 'RecordUnarchived',
          data: { table_id: record.table_id, record_id: record.id },
        });
      }
      return { index, op: change.op, record_id: record.id, changed: record.archived !== archive };
    }
    default:
      throw invalid(`changes[${index}].op must be create, set, archive or unarchive`, {
        field: `changes[${index}].op`,
        given: (change as { op?: unknown }).op ?? null,
      });
  }
}

function applyCreate(
  w: ChangesWork,
  change: Extract<ChangeOp, { op: 'create' }>,
  index: number,
): AppliedChange {
  const table = requireTable(w.ctx, change.table_id);
  if (typeof change.record_id !== 'string' || w.current(change.record_id))
    throw invalid(`changes[${index}]: record id is missing or already used`, {
      field: `changes[${index}].record_id`,
    });
  const values: CellValues = {};
  for (const [fieldId, raw] of Object.entries(change.values ?? {})) {
    const { field, value } = w.normalizeFor(table, fieldId, raw, index);
    if (!valuesEqual(value, null) || (field.type === 'checkbox' && value === true))
      values[field.id] = value;
  }
  w.emit(undefined, change.record_id, {
    type: 'RecordCreated',
    data: { table_id: table.id, record_id: change.record_id, values },
  });
  for (const field of table.fields)
    if (values[field.id] !== undefined) w.mirror(field, change.record_id, [], values[field.id]);
  return { index, op: 'create', record_id: change.record_id, changed: true };
}

/** A compare-and-set of one cell: applies when the cell holds `from`; a cell changed since is a conflict. */
function applySet(
  w: ChangesWork,
  change: Extract<ChangeOp, { op: 'set' }>,
  index: number,
): AppliedChange | null {
  const record = w.requireRecord(change.record_id, index);
  if (record.archived)
    throw illegal(`changes[${index}]: record ${record.id} is archived; unarchive it first`, {
      field: `changes[${index}].record_id`,
    });
  const table = requireTable(w.ctx, record.table_id);
  const { field, value } = w.normalizeFor(table, change.field_id, change.to, index);
  const now = cellValue(record, field);
  if (valuesEqual(now, value))
    return { index, op: 'set', record_id: record.id, field_id: field.id, changed: false };
  if (!valuesEqual(now, fromAsStored(field, change.from))) {
    const cell = record.cells[field.id];
    w.b.conflicts.push({
      record_id: record.id,
      field_id: field.id,
      expected: change.from ?? null,
      current: now,
      updated_at: cell?.at ?? record.created_at,
      updated_by: cell?.by ?? record.created_by,
    });
    return null;
  }
  w.emit(record, record.id, {
    type: 'RecordUpdated',
    data: {
      table_id: table.id,
      record_id: record.id,
      changes: [{ field_id: field.id, from: now, to: value }],
    },
  });
  w.mirror(field, record.id, now, value);
  return { index, op: 'set', record_id: record.id, field_id: field.id, changed: true };
}

/** The records as the batch has changed them so far, and the checks every change shares. */
class ChangesWork {
  readonly b = new DecisionBuilder();
  private readonly working = new Map<string, RecordState>();
  private readonly readVersions = new Map<string, number>();
  private readonly stamp: { recorded_at: string; actor_id: string };

  constructor(
    readonly ctx: DecideContext,
    readonly cmd: ApplyChanges,
  ) {
    this.stamp = { recorded_at: cmd.at, actor_id: cmd.actor_id };
  }

  current(id: string): RecordState | undefined {
    // The other sides of links this batch changed are written before anything else reads the record.
    if (this.mirrors.has(id)) this.flushMirror(id);
    return this.working.get(id) ?? this.ctx.record(id);
  }

  emit(record: RecordState | undefined, recordId: string, event: FundraisingEvent): void {
    if (!this.readVersions.has(recordId)) this.readVersions.set(recordId, record?.version ?? 0);
    this.b.emit(streams.record(recordId), this.readVersions.get(recordId)!, event);
    const next = evolveRecord(record, event, this.stamp);
    if (next) this.working.set(recordId, next);
  }

  /**
   * The other side of a two-way link follows an edit of this side, in the same batch: each record
   * linked or unlinked gets the source added to or taken from its inverse cell. A record's inverse
   * cells are written once, with all the batch's changes to them (a thousand commitments created for
   * one fund change its cell once, not a thousand times).
   */
  mirror(field: FieldDefinition, sourceId: string, before: CellValue, after: CellValue): void {
    const inverse = inverseOf(this.ctx, field);
    if (!inverse) return;
    const was = new Set(idsOf(before));
    const now = new Set(idsOf(after));
    for (const id of now) if (!was.has(id)) this.mirrorOne(id, inverse.field.id, sourceId, true);
    for (const id of was) if (!now.has(id)) this.mirrorOne(id, inverse.field.id, sourceId, false);
  }

  /** Pending sides: `to` grows in place, `has` answers membership (a fund's side holds thousands). */
  private readonly mirrors = new Map<
    string,
    Map<string, { from: string[]; to: string[]; has: Set<string> }>
  >();

  private mirrorOne(recordId: string, fieldId: string, sourceId: string, add: boolean): void {
    const cells = this.mirrors.get(recordId);
    let cell = cells?.get(fieldId);
    if (!cell) {
      const r = this.working.get(recordId) ?? this.ctx.record(recordId);
      if (!r) return;
      const from = idsOf(r.values[fieldId] ?? []);
      cell = { from, to: [...from], has: new Set(from) };
      if (cells) cells.set(fieldId, cell);
      else this.mirrors.set(recordId, new Map([[fieldId, cell]]));
    }
    if (cell.has.has(sourceId) === add) return;
    if (add) {
      cell.to.push(sourceId);
      cell.has.add(sourceId);
    } else {
      cell.to = cell.to.filter((x) => x !== sourceId);
      cell.has.delete(sourceId);
    }
  }

  private flushMirror(recordId: string): void {
    const cells = this.mirrors.get(recordId)!;
    this.mirrors.delete(recordId);
    const r = this.working.get(recordId) ?? this.ctx.record(recordId);
    const changes = [...cells]
      .filter(([, c]) => !valuesEqual(c.from, c.to))
      .map(([field_id, c]) => ({ field_id, from: c.from, to: c.to }));
    if (!r || changes.length === 0) return;
    this.emit(r, r.id, {
      type: 'RecordUpdated',
      data: { table_id: r.table_id, record_id: r.id, changes },
    });
  }

  flushMirrors(): void {
    for (const id of [...this.mirrors.keys()]) this.flushMirror(id);
  }

  requireRecord(id: unknown, index: number): RecordState {
    const r = typeof id === 'string' ? this.current(id) : undefined;
    if (!r)
      throw notFound(`changes[${index}]: record ${String(id)} does not exist`, {
        field: `changes[${index}].record_id`,
        given: id ?? null,
      });
    return r;
  }

  normalizeFor(
    table: TableState,
    fieldId: string,
    raw: unknown,
    index: number,
  ): { field: FieldDefinition; value: CellValue } {
    const field = fieldOf(table, fieldId);
    if (!field)
      throw notFound(
        `changes[${index}]: field ${fieldId} does not exist in table "${table.name}"`,
        { field: `changes[${index}].field_id`, given: fieldId },
      );
    const value = normalizeCell(field, raw);
    this.checkLinks(field, value, index);
    if (field.type === 'user' && this.ctx.member)
      requireTeamMembers(field, value as string[], this.ctx.member, `changes[${index}]`);
    return { field, value };
  }

  private checkLinks(field: FieldDefinition, value: unknown, index: number): void {
    if (field.type !== 'link' || !Array.isArray(value)) return;
    for (const id of value as string[]) {
      // Read without writing its pending link sides first: whether it exists, is archived or is of
      // the table does not depend on them, and a fund linked by each of a thousand new commitments
      // would otherwise get its side written (and its whole list logged) a thousand times.
      const target = this.working.get(id) ?? this.ctx.record(id);
      if (!target || target.archived || target.table_id !== field.options.table_id) {
        throw invalid(
          `changes[${index}]: field "${field.name}" links to ${id}, which is not a record of its linked table`,
          { field: `changes[${index}]`, field_id: field.id, given: id },
        );
      }
    }
  }
}

const idsOf = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];

/** `from` is what the client last saw; read it leniently (it may be a stale shape of an old type). */
function fromAsStored(field: FieldDefinition, from: unknown): unknown {
  if (from === undefined || from === null) return field.type === 'checkbox' ? false : null;
  try {
    return normalizeCell(field, from);
  } catch {
    return from;
  }
}

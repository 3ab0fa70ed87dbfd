import { type CellValue } from '@crm/events';
import { type CellConflict, type DecideContext } from '../../base/decide-context';
import { DomainError } from '../../errors';
import { type CommitImport, decideImport, type ImportDecision } from '../decide-import';

/**
 * Cuts an import's command into slices of at most `size` records each (linked records first, then
 * created rows, then updated rows), so that each is appended in a transaction of its own. The
 * first slice carries the schema (a new table, new fields and choices). An import whose records
 * link to a record made in a later slice stays one slice: a link may only name a record that exists.
 */
export function sliceImport(cmd: CommitImport, size: number): CommitImport[] {
  const items = cmd.link_creates.length + cmd.creates.length + cmd.updates.length;
  if (items <= size) return [cmd];
  const slices: CommitImport[] = [];
  for (let from = 0; from < items; from += size) slices.push(sliceOf(cmd, from, from + size));
  return linksAhead(slices) ? [cmd] : slices;
}

/** The records at [from, to) of the command's sequence; the schema only with the first. */
function sliceOf(cmd: CommitImport, from: number, to: number): CommitImport {
  const links = cmd.link_creates.length;
  const creates = links + cmd.creates.length;
  const part = <T>(list: T[], offset: number) =>
    list.slice(Math.max(0, from - offset), Math.max(0, to - offset));
  const first = from === 0;
  return {
    ...cmd,
    new_table: first ? cmd.new_table : null,
    new_fields: first ? cmd.new_fields : [],
    new_choices: first ? cmd.new_choices : [],
    link_creates: part(cmd.link_creates, 0),
    creates: part(cmd.creates, links),
    updates: part(cmd.updates, creates),
  };
}

/** True when a slice's values name a record that a later slice makes. */
function linksAhead(slices: CommitImport[]): boolean {
  const madeIn = new Map<string, number>();
  slices.forEach((s, i) => {
    for (const lc of s.link_creates) madeIn.set(lc.record_id, i);
    for (const c of s.creates) madeIn.set(c.record_id, i);
  });
  const ahead = (i: number, v: CellValue) =>
    Array.isArray(v) && (v as unknown[]).some((x) => (madeIn.get(x as string) ?? -1) > i);
  return slices.some(
    (s, i) =>
      s.creates.some((c) => Object.values(c.values).some((v) => ahead(i, v))) ||
      s.updates.some((u) => u.changes.some((ch) => ahead(i, ch.to))),
  );
}

/** A record of a slice that could not be written as planned, and why. */
export interface ImportSkip {
  line: number;
  record_id: string;
  reason: string;
  message: string;
}

export interface ImportSliceDecision extends ImportDecision {
  /** Cells someone changed since the plan was made: their value is kept, the file's is not written. */
  conflicts: CellConflict[];
  /** Records that could not be written as planned (deleted meanwhile, a link that no longer holds). */
  skipped: ImportSkip[];
}

/**
 * A slice after the first, once the import has begun and is bound to complete: a cell changed
 * since the plan keeps its newer value and is reported (the compare-and-set of a grid edit), and a
 * record the slice can no longer write as planned is left out and reported, instead of refusing.
 */
export function decideImportSlice(slice: CommitImport, ctx: DecideContext): ImportSliceDecision {
  try {
    return { ...decideSlice(slice, ctx), skipped: [] };
  } catch (e) {
    if (!(e instanceof DomainError)) throw e;
  }
  // Rare (a record deleted meanwhile): each record on its own, so one refusal leaves the rest.
  const out: ImportSliceDecision = {
    appends: [],
    conflicts: [],
    skipped: [],
    created: 0,
    updated: 0,
  };
  for (const one of singles(slice)) {
    try {
      const d = decideSlice(one, ctx);
      out.appends.push(...d.appends);
      out.conflicts.push(...d.conflicts);
      out.created += d.created;
      out.updated += d.updated;
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      out.skipped.push(skipOf(one, e));
    }
  }
  return out;
}

// A conflict refuses a whole import; here the cells keep their newer values instead.
const decideSlice = (slice: CommitImport, ctx: DecideContext): ImportDecision =>
  decideImport(slice, ctx, { keepTheirs: true });

function* singles(slice: CommitImport): Generator<CommitImport> {
  const none = { link_creates: [], creates: [], updates: [] };
  for (const lc of slice.link_creates) yield { ...slice, ...none, link_creates: [lc] };
  for (const c of slice.creates) yield { ...slice, ...none, creates: [c] };
  for (const u of slice.updates) yield { ...slice, ...none, updates: [u] };
}

function skipOf(one: CommitImport, e: DomainError): ImportSkip {
  const item = one.link_creates[0] ?? one.creates[0] ?? one.updates[0];
  return { line: item.line, record_id: item.record_id, reason: e.reason, message: e.message };
}

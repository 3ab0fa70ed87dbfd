import { promisify } from 'node:util';
import { gunzip, gunzipSync, gzipSync, type ZlibOptions } from 'node:zlib';
import {
  type BaseState,
  type RecordNow,
  type RecordState,
  type TableState,
  type ViewState,
} from '@crm/domain';
import { StoredRecord } from './stored-record';

/**
 * How a snapshot is stored. Format 3: one line of JSON (position, tables, views), then one line per
 * record in creation order: id, table, version, archived, values JSON and stamps JSON, separated by
 * tabs. JSON text holds no raw tab or newline, so a record is found by searching for them; its
 * values and stamps are slices of the snapshot's text, parsed only when read. Formats 1 (whole
 * records as objects) and 2 (one JSON document, each record's values and stamps as JSON strings in
 * it, which the parser had to unescape and copy) are still read; format 2 is still written for a
 * base with an id that holds a tab or a newline.
 */
const JSON_FORMAT = 2;
const LINES_FORMAT = 3;

type StoredEntry = [
  id: string,
  table_id: string,
  version: number,
  archived: 0 | 1,
  values: string,
  stamps: string,
];

/** A record of a format-3 snapshot, its values and stamps still the JSON text they were stored in. */
class LineRecord extends StoredRecord {
  constructor(
    id: string,
    table_id: string,
    version: number,
    archived: boolean,
    values: string,
    readonly stamps: string,
  ) {
    super(id, table_id, version, archived, values);
  }
}

export type SnapshotRecord = StoredEntry | RecordState | LineRecord;

export interface Snapshot {
  position: number;
  tables: TableState[];
  views: ViewState[];
  records: SnapshotRecord[];
}

export const idOf = (r: SnapshotRecord): string => (Array.isArray(r) ? r[0] : r.id);

type Stamps = [
  created_at: string,
  created_by: string,
  updated_at: string,
  updated_by: string,
  cells: RecordState['cells'],
];

/** The whole record, stamps and all. */
export function materialise(r: SnapshotRecord): RecordState {
  if (r instanceof LineRecord) {
    const [created_at, created_by, updated_at, updated_by, cells] = JSON.parse(r.stamps) as Stamps;
    return {
      id: r.id,
      table_id: r.table_id,
      values: r.values,
      archived: r.archived,
      version: r.version,
      created_at,
      created_by,
      updated_at,
      updated_by,
      cells,
    };
  }
  if (!Array.isArray(r)) return r;
  const [created_at, created_by, updated_at, updated_by, cells] = JSON.parse(r[5]) as Stamps;
  return {
    id: r[0],
    table_id: r[1],
    values: JSON.parse(r[4]) as RecordState['values'],
    archived: r[3] === 1,
    version: r[2],
    created_at,
    created_by,
    updated_at,
    updated_by,
    cells,
  };
}

/** The record as a restore compares it, its values parsed on read. */
export const compared = (r: SnapshotRecord): RecordNow =>
  Array.isArray(r) ? new StoredRecord(r[0], r[1], r[2], r[3] === 1, r[4]) : r;

const stampsOf = (r: RecordState) =>
  JSON.stringify([r.created_at, r.created_by, r.updated_at, r.updated_by, r.cells]);
const plain = (id: string) => !/[\t\n]/.test(id);

export function encode(s: BaseState): { format: number; data: Buffer } {
  const head = {
    position: s.position,
    tables: [...s.tables.values()],
    views: [...s.views.values()],
  };
  const records = [...s.records.values()];
  if (records.every((r) => plain(r.id) && plain(r.table_id))) {
    const lines = records.map(
      (r) =>
        `\n${r.id}\t${r.table_id}\t${r.version}\t${r.archived ? 1 : 0}\t${JSON.stringify(r.values)}\t${stampsOf(r)}`,
    );
    return {
      format: LINES_FORMAT,
      data: gzipSync(JSON.stringify(head) + lines.join(''), { level: 1 }),
    };
  }
  const entries = records.map((r): StoredEntry => [
    r.id,
    r.table_id,
    r.version,
    r.archived ? 1 : 0,
    JSON.stringify(r.values),
    stampsOf(r),
  ]);
  return {
    format: JSON_FORMAT,
    data: gzipSync(JSON.stringify({ ...head, records: entries }), { level: 1 }),
  };
}

export function decode(format: number, unzipped: Buffer): Snapshot {
  const text = unzipped.toString('utf8');
  if (format !== LINES_FORMAT) return JSON.parse(text) as Snapshot;
  const { head, start } = headOf(text);
  const records: LineRecord[] = [];
  for (let at = start; at < text.length;) {
    const line = lineAt(text, at, head.position);
    records.push(line.record);
    at = line.end + 1;
  }
  return { ...head, records };
}

/** A snapshot split into its head and its records, still stored: format 3 as its text and each line's start. */
export type SplitSnapshot = Omit<Snapshot, 'records'> &
  (
    | { records: SnapshotRecord[]; text?: undefined }
    | { text: string; lines: { id: string; at: number }[] }
  );

/**
 * A snapshot split without building its records: for format 3, the id and start of each line
 * (a record is parsed from its line when read, see SnapshotRecords).
 */
export function split(format: number, unzipped: Buffer): SplitSnapshot {
  if (format !== LINES_FORMAT) return decode(format, unzipped);
  const text = unzipped.toString('utf8');
  const { head, start } = headOf(text);
  const lines: { id: string; at: number }[] = [];
  for (let at = start; at < text.length;) {
    const tab = text.indexOf('\t', at);
    let end = text.indexOf('\n', at);
    if (end < 0) end = text.length;
    if (tab < 0 || tab > end)
      throw new Error(`snapshot at ${head.position}: a record line without its six columns`);
    lines.push({ id: text.slice(at, tab), at });
    at = end + 1;
  }
  return { ...head, text, lines };
}

/** Whether the record on the line starting at `at` is of a table (read without slicing the line). */
export function lineIsOf(text: string, at: number, tableId: string): boolean {
  const t1 = text.indexOf('\t', at);
  return text.startsWith(tableId, t1 + 1) && text.charCodeAt(t1 + 1 + tableId.length) === 9;
}

function headOf(text: string): { head: Omit<Snapshot, 'records'>; start: number } {
  let end = text.indexOf('\n');
  if (end < 0) end = text.length;
  return { head: JSON.parse(text.slice(0, end)) as Omit<Snapshot, 'records'>, start: end + 1 };
}

/** The record on the line of a format-3 snapshot starting at `at`, and where the line ends. */
export function lineAt(
  text: string,
  at: number,
  position: number,
): { record: LineRecord; end: number } {
  const t1 = text.indexOf('\t', at);
  const t2 = text.indexOf('\t', t1 + 1);
  const t3 = text.indexOf('\t', t2 + 1);
  const t4 = text.indexOf('\t', t3 + 1);
  const t5 = text.indexOf('\t', t4 + 1);
  if (t1 < 0 || t5 < 0)
    throw new Error(`snapshot at ${position}: a record line without its six columns`);
  let end = text.indexOf('\n', t5 + 1);
  if (end < 0) end = text.length;
  const record = new LineRecord(
    text.slice(at, t1),
    text.slice(t1 + 1, t2),
    Number(text.slice(t2 + 1, t3)),
    text.charCodeAt(t3 + 1) === 49,
    text.slice(t4 + 1, t5),
    text.slice(t5 + 1, end),
  );
  return { record, end };
}

/**
 * Output in one chunk the size the gzip trailer gives (the size modulo 2^32; only a hint, a wrong
 * one costs more chunks): no copying of thousands of 16 KB chunks into one buffer, and an
 * asynchronous unzip is one task in the thread pool instead of one per chunk, each of which would
 * wait for the main thread to hand out the next.
 */
const inOneChunk = (gz: Buffer): ZlibOptions => ({
  chunkSize: Math.min(
    2 ** 30,
    Math.max(64 * 1024, gz.length >= 4 ? gz.readUInt32LE(gz.length - 4) : 0),
  ),
});
const gunzipAsync = promisify<Buffer, ZlibOptions, Buffer>(gunzip);

export const unzipSync = (gz: Buffer): Buffer => gunzipSync(gz, inOneChunk(gz));
export const unzip = (gz: Buffer): Promise<Buffer> => gunzipAsync(gz, inOneChunk(gz));

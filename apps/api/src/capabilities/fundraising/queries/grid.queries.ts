import { canSeeView, fieldsForDisplay, notFound, type ViewActor } from '@crm/domain';
import type { Statement } from 'better-sqlite3';
import { type UnitOfWork } from '../../../infrastructure/database/unit-of-work';
import { type FundraisingRepository } from '../fundraising.repository';

/**
 * A record's values with its formula values merged in (json_patch leaves out empty ones, which read
 * as blank), so that clients see formula fields like any other field.
 */
export const VALUES_WITH_FORMULAS =
  "CASE WHEN formula_json = '{}' THEN values_json ELSE json_patch(values_json, formula_json) END";

const q = JSON.stringify;

/**
 * One record as API JSON, written by SQLite: the stored values are already JSON, and the other
 * columns are plain ids and timestamps (json_quote gives the same text as JSON.stringify for them).
 * Building the 48 MB state of 100,000 records this way takes a third of the time it takes in JS.
 */
const RECORD_JSON = (
  withArchived: boolean,
) => `'{"id":' || json_quote(id) || ',"values":' || ${VALUES_WITH_FORMULAS}
  || ',"created_at":' || json_quote(created_at) || ',"created_by":' || json_quote(created_by)
  || ',"updated_at":' || json_quote(updated_at) || ',"updated_by":' || json_quote(updated_by)
  || ${withArchived ? `CASE archived WHEN 1 THEN ',"archived":true}' ELSE ',"archived":false}' END` : `'}'`}`;

/**
 * Records are joined in chunks, so no single SQLite string grows with the table. A state is written
 * out chunk by chunk: 5,000 records (about 3 MB) keep the socket busy while the next is built;
 * 100,000 records' state took 600 ms this way against 700 with chunks of 20,000, and 610 with 2,000.
 */
const DEFAULT_CHUNK = 5_000;

export interface StateOptions {
  includeArchived?: boolean;
  viewer?: ViewActor;
  /** The tables (by id) whose records are sent; every table's when absent. */
  recordsOf?: ReadonlySet<string>;
}

/** A chunk of records in creation order: their JSON joined by commas, how many, and the last seq. */
type Chunk = [string | null, number, number | null];

/**
 * Reads of the grid. Big answers are assembled as JSON text from the stored JSON cells, so a
 * 100,000-record state never parses and re-serialises every value.
 */
export class GridQueries {
  private readonly active: Statement;
  private readonly all: Statement;
  private readonly archived: Statement;
  private readonly views: Statement;

  constructor(
    private readonly repo: FundraisingRepository,
    private readonly uow: UnitOfWork,
    private readonly chunkSize = DEFAULT_CHUNK,
  ) {
    const chunk = (where: string, withArchived = false) =>
      repo.db
        .prepare(
          `SELECT group_concat(${RECORD_JSON(withArchived)}, ',' ORDER BY seq), count(*), max(seq)
      FROM (SELECT * FROM fundraising_records WHERE table_id = ? ${where} AND seq > ? ORDER BY seq LIMIT ?)`,
        )
        .raw(true);
    this.active = chunk('AND archived = 0');
    this.archived = chunk('AND archived = 1');
    this.all = chunk('', true);
    this.views = repo.db.prepare(
      'SELECT id, table_id, name, config, updated_at, updated_by FROM fundraising_views ORDER BY rowid',
    );
  }

  /** GET /state: the schema and every live record, at one consistent version. */
  stateJson(options: StateOptions = {}): string {
    const parts: string[] = [];
    this.writeState((part) => parts.push(part), options);
    return parts.join('');
  }

  /**
   * The state as parts of its JSON text, each handed to `write` as soon as it is made (all within
   * one read, so one version): a server writes the first records to the socket while SQLite builds
   * the next ones, and no 60 MB string is ever joined.
   */
  writeState(write: (part: string) => void, options: StateOptions = {}): void {
    this.uow.read(() => {
      const head = this.repo.state();
      write(
        `{"version":${head.version},"updated_at":${q(head.updated_at)},"updated_by":${q(head.updated_by)},"tables":[`,
      );
      this.repo.tables().forEach((t, i) => {
        write(
          `${i ? ',' : ''}{"id":${q(t.id)},"name":${q(t.name)},"role":${q(t.role)},"primary_field_id":${q(t.primary_field_id)},"fields":${q(fieldsForDisplay(t.fields))},"records":[`,
        );
        if (!options.recordsOf || options.recordsOf.has(t.id))
          this.everyRecordJson(options.includeArchived ? this.all : this.active, t.id, write);
        write(']}');
      });
      write(`],"views":${this.viewsJson(options.viewer)}}`);
    });
  }

  /** Keyset pages in creation order; the cursor is opaque to clients. */
  recordsPageJson(
    tableId: string,
    cursor: string | undefined,
    limit: number,
    options: { archived?: boolean } = {},
  ): string {
    return this.uow.read(() => {
      if (!this.repo.table(tableId))
        throw notFound(`table ${tableId} does not exist`, { field: 'table_id', given: tableId });
      const after = cursor ? decodeCursor(cursor) : 0;
      const [json, count, lastSeq] = (options.archived ? this.archived : this.active).get(
        tableId,
        after,
        limit,
      ) as Chunk;
      const next = count === limit ? encodeCursor(lastSeq!) : null;
      return `{"version":${this.repo.state().version},"records":[${json ?? ''}],"next_cursor":${q(next)}}`;
    });
  }

  private everyRecordJson(chunk: Statement, tableId: string, write: (part: string) => void): void {
    for (let after = 0; ;) {
      const [json, count, lastSeq] = chunk.get(tableId, after, this.chunkSize) as Chunk;
      if (json) {
        if (after) write(',');
        write(json);
      }
      if (count < this.chunkSize) return;
      after = lastSeq!;
    }
  }

  /** Views the viewer may see: shared ones, and their own personal ones (all of them without a viewer). */
  private viewsJson(viewer?: ViewActor): string {
    const all = this.views.all() as {
      id: string;
      table_id: string;
      name: string;
      config: string;
      updated_at: string;
      updated_by: string;
    }[];
    const rows = viewer
      ? all.filter(
          (v) =>
            !v.config.includes('"personal"') ||
            canSeeView({ config: JSON.parse(v.config) }, viewer),
        )
      : all;
    return `[${rows.map((v) => `{"id":${q(v.id)},"table_id":${q(v.table_id)},"name":${q(v.name)},"config":${v.config},"updated_at":${q(v.updated_at)},"updated_by":${q(v.updated_by)}}`).join(',')}]`;
  }
}

const encodeCursor = (seq: number) => Buffer.from(`s${seq}`).toString('base64url');

function decodeCursor(cursor: string): number {
  const s = /^[A-Za-z0-9_-]{1,40}$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString() : '';
  const m = /^s(\d{1,15})$/.exec(s);
  if (!m) throw Object.assign(new Error('cursor is not one this server issued'), { status: 400 });
  return Number(m[1]);
}

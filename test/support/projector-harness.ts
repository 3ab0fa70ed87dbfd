import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ANY_VERSION, type EventSource } from '@crm/events';
import { ApiTokensProjector } from '../../apps/api/src/capabilities/api-tokens/api-tokens.projector';
import { ApiTokensRepository } from '../../apps/api/src/capabilities/api-tokens/api-tokens.repository';
import { AutomationsProjector } from '../../apps/api/src/capabilities/automations/automations.projector';
import { AutomationsRepository } from '../../apps/api/src/capabilities/automations/automations.repository';
import { BackupsProjector } from '../../apps/api/src/capabilities/backups/backups.projector';
import { BackupsRepository } from '../../apps/api/src/capabilities/backups/backups.repository';
import { FundraisingRepository } from '../../apps/api/src/capabilities/fundraising/fundraising.repository';
import { FormulaBacklog } from '../../apps/api/src/capabilities/fundraising/projectors/formula-backlog';
import { GridProjector } from '../../apps/api/src/capabilities/fundraising/projectors/grid.projector';
import { RelationalProjector } from '../../apps/api/src/capabilities/fundraising/projectors/relational.projector';
import { ViewsProjector } from '../../apps/api/src/capabilities/fundraising/projectors/views.projector';
import { RemindersProjector } from '../../apps/api/src/capabilities/reminders/reminders.projector';
import { RemindersRepository } from '../../apps/api/src/capabilities/reminders/reminders.repository';
import { SearchProjector } from '../../apps/api/src/capabilities/search/search.projector';
import { SearchRepository } from '../../apps/api/src/capabilities/search/search.repository';
import { UsersProjector } from '../../apps/api/src/capabilities/users/users.projector';
import { UsersRepository } from '../../apps/api/src/capabilities/users/users.repository';
import { openDatabase, type Sqlite } from '../../apps/api/src/infrastructure/database/database';
import { UnitOfWork } from '../../apps/api/src/infrastructure/database/unit-of-work';
import { SqliteEventStore } from '../../apps/api/src/infrastructure/event-store/sqlite-event-store';
import { ProjectionRunner } from '../../apps/api/src/infrastructure/projections/projection-runner';
import { type Projector } from '../../apps/api/src/infrastructure/projections/projector';

/**
 * Given these events, then these rows: the one place where a projector under test is built, given
 * events are appended to a real log on a fresh SQLite file (real migrations), and the projector runs
 * as the app runs it, inline in each append.
 */

/** The `gridSliced` projector's inline limit: a table of a dozen records stands for a large one. */
export const SLICED_ABOVE = 10;

/**
 * Each projector as the app builds it. The relational tables read the schema the grid keeps (the
 * grid runs first, on the same repository), so `relational` brings the grid with it.
 */
const PROJECTORS = {
  grid: (db: Sqlite): Projector[] => [new GridProjector(new FundraisingRepository(db))],
  /** The grid with tables of more than SLICED_ABOVE records recomputed in slices, as large tables are. */
  gridSliced: (db: Sqlite): Projector[] => {
    const repo = new FundraisingRepository(db);
    return [new GridProjector(repo, new FormulaBacklog(repo, SLICED_ABOVE))];
  },
  relational: (db: Sqlite): Projector[] => {
    const repo = new FundraisingRepository(db);
    return [new GridProjector(repo), new RelationalProjector(repo)];
  },
  views: (db: Sqlite): Projector[] => [new ViewsProjector(db)],
  /**
   * The search index reads the grid's schema, so it brings the grid with it. The server runs it after
   * commit (SearchIndexer); here it runs inline, which reads the same events in the same order.
   */
  search: (db: Sqlite): Projector[] => {
    const repo = new FundraisingRepository(db);
    const search = new SearchProjector(repo, new SearchRepository(db));
    return [
      new GridProjector(repo),
      {
        name: 'search',
        tables: ['search_entries'],
        apply: (events) => {
          for (const e of events) search.apply(e);
          return Promise.resolve();
        },
        reset: () => Promise.resolve(search.reset()),
      },
    ];
  },
  users: (db: Sqlite): Projector[] => [new UsersProjector(new UsersRepository(db))],
  backups: (db: Sqlite): Projector[] => [new BackupsProjector(new BackupsRepository(db))],
  apiTokens: (db: Sqlite): Projector[] => [new ApiTokensProjector(new ApiTokensRepository(db))],
  automations: (db: Sqlite): Projector[] => [
    new AutomationsProjector(new AutomationsRepository(db)),
  ],
  reminders: (db: Sqlite): Projector[] => [new RemindersProjector(new RemindersRepository(db))],
  /** The memberships, then the grid (whose formulas may read `{Lists}`), as the app orders them. */
  listsThenGrid: (db: Sqlite): Projector[] => [
    new AutomationsProjector(new AutomationsRepository(db)),
    new GridProjector(new FundraisingRepository(db)),
  ],
  /** The same two the other way round: formulas reading lists must not depend on the order. */
  gridThenLists: (db: Sqlite): Projector[] => [
    new GridProjector(new FundraisingRepository(db)),
    new AutomationsProjector(new AutomationsRepository(db)),
  ],
};

export type ProjectorName = keyof typeof PROJECTORS;

/** One event of the given history: its stream, type and data, when and by whom it happened. */
export interface GivenEvent {
  stream_id: string;
  type: string;
  data: unknown;
  /** UTC time of the append; the default is a fixed moment so that expected rows can be literal. */
  at?: string;
  by?: string;
  source?: EventSource;
}

export const AT = '2026-03-02T09:00:00.000Z';

/** The time `s` seconds after AT, for histories whose events follow one another. */
export const at = (s: number): string => new Date(Date.parse(AT) + s * 1000).toISOString();

export interface Projected {
  readonly db: Sqlite;
  /** Rows of a query over the read model, as plain objects. */
  rows(sql: string, ...params: unknown[]): Record<string, unknown>[];
  /** Appends more events (each element one append; an array is one append of several events). */
  append(...events: (GivenEvent | GivenEvent[])[]): Promise<void>;
  /** Truncates the projector's tables and replays the whole log, as `projections:rebuild` does. */
  rebuild(): Promise<void>;
  /** Applies every event again from a zero checkpoint, as after a crash before the checkpoint moved. */
  applyAgain(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Opens a fresh database, registers the named projector and appends the given events in order: each
 * element is one append (one batch), an array of events one append of them all.
 */
export async function givenEvents(
  name: ProjectorName,
  events: (GivenEvent | GivenEvent[])[],
): Promise<Projected> {
  const dir = mkdtempSync(join(tmpdir(), `crm-projector-${name}-`));
  const { dataSource, db } = await openDatabase(join(dir, 'crm.sqlite'));
  const store = new SqliteEventStore(db);
  const runner = new ProjectionRunner(db, store, PROJECTORS[name](db));
  const uow = new UnitOfWork(db);
  let n = 0;
  // As the command executor does: the append, then the inline projections, in one transaction.
  const appendOne = (batch: GivenEvent[]) =>
    uow.write(async () => {
      const first = batch[0];
      const { events } = store.append(
        batch.map((e) => ({
          stream_id: e.stream_id,
          expected_version: ANY_VERSION,
          events: [{ type: e.type, data: e.data }],
        })),
        {
          metadata: {
            actor_id: first.by ?? 'usr_ada',
            correlation_id: `cor_${n + 1}`,
            source: first.source ?? 'grid',
          },
          recorded_at: first.at ?? AT,
          event_ids: batch.map(() => `evt_${++n}`),
        },
      );
      await runner.applyInline(events);
    });
  const projected: Projected = {
    db,
    rows: (sql, ...params) => db.prepare(sql).all(...params) as Record<string, unknown>[],
    append: async (...more) => {
      for (const e of more) await appendOne(Array.isArray(e) ? e : [e]);
    },
    rebuild: async () => {
      await runner.rebuild();
    },
    applyAgain: async () => {
      db.prepare('UPDATE projection_checkpoints SET position = 0, follows_log = 0').run();
      await runner.catchUp();
    },
    close: async () => {
      await dataSource.destroy();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await projected.append(...events);
  return projected;
}

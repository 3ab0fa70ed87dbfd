import { invalid, type TeamMember, type ViewState } from '@crm/domain';
import { type Clock } from '../../infrastructure/clock';
import { type Sqlite } from '../../infrastructure/database/database';
import { ServedWorker, workerEntry } from '../../infrastructure/workers/worker-thread';
import {
  type AsOfRequest,
  answerAsOf,
  type DiffAnswer,
  diffOf,
  type DiffSide,
  type Moment,
  type RecordsAnswer,
} from './as-of.compute';
import { ListsAt } from './lists-at';
import { type LogRepository } from './log.repository';
import { type SnapshotStore } from './snapshot.store';

/**
 * How long a thread with nothing to answer is kept, with the snapshot it opened last (a large base's
 * is a few hundred megabytes): long enough for the next page or the next date a person picks.
 */
const WORKER_IDLE_MS = 30_000;

/** A timestamp as a query names it: an ISO date, or a date and time (UTC unless it says otherwise). */
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})?)?$/;

/** A query parameter read as a timestamp (ms), or a 400 naming it. */
export function readTimestamp(raw: unknown, field: string): number {
  const text = typeof raw === 'string' ? raw.trim() : '';
  const m = TIMESTAMP.exec(text);
  // A date and time without an offset is UTC: JavaScript would read it in the machine's zone.
  const ms = m ? Date.parse(m[1] && !m[4] ? `${text}Z` : text) : NaN;
  if (!Number.isFinite(ms))
    throw invalid(
      `${field} must be a timestamp (2026-09-30 or 2026-09-30T18:00:00Z)`,
      { field, given: raw },
      'not_a_timestamp',
    );
  return ms;
}

/** A moment the log can answer for, resolved to its position. */
export interface ResolvedMoment extends Moment {
  at: string;
}

/**
 * Views as they were at a past moment, and what moved in them between two: the base at that moment
 * comes from the nearest snapshot and a replay of the log after it (the restore preview's machinery),
 * evaluated in a worker thread, never from the live read models.
 */
export class AsOfService {
  /** Two threads kept between requests (each keeps the last snapshot it opened), started when first asked. */
  private readonly workers: [ServedWorker | undefined, ServedWorker | undefined] = [
    undefined,
    undefined,
  ];
  private readonly inHand = [0, 0];

  constructor(
    private readonly db: Sqlite,
    private readonly log: LogRepository,
    private readonly snapshots: SnapshotStore,
    private readonly clock: Clock,
    private readonly team: () => TeamMember[],
  ) {}

  /**
   * A query parameter read as a moment of the log: a timestamp, not in the future, not before the
   * first event. A 400 names the parameter otherwise.
   */
  moment(raw: unknown, field: string): ResolvedMoment {
    const ms = readTimestamp(raw, field);
    const at = new Date(ms).toISOString();
    if (ms > Date.parse(this.clock.now()))
      throw invalid(`${field} is in the future`, { field, given: raw }, 'in_the_future');
    const first = this.db.prepare('SELECT MIN(recorded_at) FROM events').pluck().get() as
      string | null;
    if (first === null || Date.parse(first) > ms)
      throw invalid(
        `${field} is before the first event of the log (${first ?? 'none yet'})`,
        { field, given: raw, first_event_at: first },
        'before_first_event',
      );
    return { at, now: ms, position: this.log.positionAt(at) };
  }

  /** Two moments in order; `from` after `to` is a 400 naming `from`. */
  period(fromRaw: unknown, toRaw: unknown): { from: ResolvedMoment; to: ResolvedMoment } {
    const from = this.moment(fromRaw, 'from');
    const to = this.moment(toRaw, 'to');
    if (from.now > to.now)
      throw invalid(
        'from must not be after to',
        { field: 'from', given: fromRaw },
        'from_after_to',
      );
    return { from, to };
  }

  records(
    view: ViewState,
    at: Moment,
    me: string,
    page: { offset: number; limit: number },
    reading: { definition?: 'then' | 'now'; timeZone?: string | null } = {},
  ): Promise<RecordsAnswer> {
    const team = this.team();
    return this.run<RecordsAnswer>({ kind: 'records', view, at, me, team, ...reading, ...page });
  }

  async diff(
    view: ViewState,
    from: Moment,
    to: Moment,
    me: string,
    reading: { definition?: 'then' | 'now'; timeZone?: string | null } = {},
  ): Promise<DiffAnswer> {
    const reader = { view, me, team: this.team(), ...reading };
    if (this.db.memory) return this.run<DiffAnswer>({ kind: 'diff', from, to, ...reader });
    // The two moments at once, each in a worker thread of its own: a person waits for the
    // slower of the two, not for both one after the other.
    const [a, b] = await Promise.all([
      this.run<DiffSide>({ kind: 'side', at: from, ...reader }, 0),
      this.run<DiffSide>({ kind: 'side', at: to, ...reader }, 1),
    ]);
    return diffOf(a, b);
  }

  /**
   * In a worker thread on its own connection, the one with fewer requests in hand or the one named
   * (the two sides of a diff go one to each); inline for an in-memory base, which no other
   * connection can open.
   */
  private async run<T>(request: AsOfRequest, on?: 0 | 1): Promise<T> {
    if (this.db.memory)
      return answerAsOf({ snapshots: this.snapshots, lists: new ListsAt(this.db) }, request) as T;
    const i = on ?? (this.inHand[1] < this.inHand[0] ? 1 : 0);
    this.workers[i] ??= new ServedWorker(
      workerEntry(__dirname, 'as-of.worker'),
      { file: this.db.name },
      WORKER_IDLE_MS,
    );
    this.inHand[i]++;
    try {
      return await this.workers[i].call<T>(request);
    } finally {
      this.inHand[i]--;
    }
  }

  /** Stops the worker threads (the server's shutdown); the next request starts them again. */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w?.close()));
  }
}

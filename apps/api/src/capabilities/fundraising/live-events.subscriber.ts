import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { FUNDRAISING_EVENT_TYPES, type RecordedEvent } from '@crm/events';
import { canSeeViewEvent, type ViewActor } from '@crm/domain';
import type { Response } from 'express';
import { CommitSignal } from '../../infrastructure/processing/commit-signal';
import type { RequestSession } from '../auth/index';
import { SqliteEventStore } from '../../infrastructure/event-store/sqlite-event-store';
import { UsersRepository } from '../users';
import { FormulaBacklogRunner } from './formula-backlog.runner';

/** The base's events, and list moves (the grid's Lists column and list tabs follow them). */
const TYPES = new Set<string>([...FUNDRAISING_EVENT_TYPES, 'MembershipAdded', 'MembershipRemoved']);

/** Events read per query; a long backlog goes out as several messages. */
const CHUNK = 2_000;
/** A client further behind than this reloads the whole state instead of replaying. */
const MAX_REPLAY = 50_000;
const HEARTBEAT_MS = 15_000;
/** Open streams per user: ten tabs or devices is plenty, and each holds a socket and a read position. */
export const MAX_STREAMS_PER_USER = 10;

/** One open stream: an in-memory consumer of the log with its own position (nothing persisted). */
interface Stream {
  position: number;
  /** Personal views of others are left out of what this stream gets. */
  viewer: ViewActor;
  /** The sign-in the stream was opened with; when it ends (logout, disable, role or password change, expiry), so does the stream. */
  session: RequestSession;
  res: Response;
  busy: boolean;
}

/**
 * The live fan-out of the fundraising base: every open stream reads the log after its own position
 * when the commit signal wakes it (after each commit here, and on the poll that sees other
 * processes' appends and sign-outs), so a stream gets every event once, in order, with
 * `id: <position>` for Last-Event-ID resume. Only fundraising events go out.
 */
@Injectable()
export class LiveEventsSubscriber implements OnModuleInit, OnModuleDestroy {
  private readonly streams = new Set<Stream>();
  private readonly perUser = new Map<string, number>();
  private unsubscribe: (() => void) | null = null;
  private unsubscribeBacklog: (() => void) | null = null;
  private heartbeat: NodeJS.Timeout | null = null;

  constructor(
    private readonly store: SqliteEventStore,
    private readonly users: UsersRepository,
    @Inject(CommitSignal) private readonly signal: CommitSignal,
    private readonly backlog: FormulaBacklogRunner,
  ) {}

  onModuleInit(): void {
    this.unsubscribe = this.signal.subscribe(() => {
      // Streams at the same position (most of them, at the head) share one read of the log.
      const reads = new Map<number, RecordedEvent[]>();
      for (const s of this.streams) this.flush(s, reads);
    });
    // Formula values a recompute wrote after its schema change: not events, so the grid is told to reload.
    this.unsubscribeBacklog = this.backlog.onDone((table_id) => {
      const message = `event: recomputed\ndata: ${JSON.stringify({ table_id })}\n\n`;
      for (const s of this.streams) s.res.write(message);
    });
    this.heartbeat = setInterval(() => {
      for (const s of this.streams) s.res.write(': heartbeat\n\n');
    }, HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
    this.unsubscribeBacklog?.();
    if (this.heartbeat) clearInterval(this.heartbeat);
    for (const s of this.streams) s.res.end();
    this.streams.clear();
    this.perUser.clear();
  }

  /** Streams this user has open now. */
  openFor(userId: string): number {
    return this.perUser.get(userId) ?? 0;
  }

  /**
   * Starts sending to `res` (its headers already sent) from `after` (the head when absent, at most
   * the head), or a `reload` when that is more than MAX_REPLAY events back.
   */
  open(after: number | undefined, viewer: ViewActor, session: RequestSession, res: Response): void {
    const head = this.store.lastPosition();
    const stream: Stream = {
      position: after === undefined ? head : Math.min(after, head),
      viewer,
      session,
      res,
      busy: false,
    };
    if (head - stream.position > MAX_REPLAY) {
      res.write(`event: reload\nid: ${head}\ndata: {"version":${head}}\n\n`);
      stream.position = head;
    }
    this.streams.add(stream);
    this.perUser.set(session.user_id, this.openFor(session.user_id) + 1);
    res.on('close', () => this.drop(stream));
    this.flush(stream);
  }

  private drop(stream: Stream): void {
    if (!this.streams.delete(stream)) return;
    const left = this.openFor(stream.session.user_id) - 1;
    if (left > 0) this.perUser.set(stream.session.user_id, left);
    else this.perUser.delete(stream.session.user_id);
  }

  /** The auth guard's check, again, for a connection that outlives the request it was made by. */
  private sessionEnded(stream: Stream): boolean {
    const s = stream.session;
    const user = this.users.user(s.user_id);
    return (
      !user ||
      user.disabled ||
      user.token_version !== s.token_version ||
      user.role !== s.role ||
      Date.now() >= s.expires_at_ms ||
      s.still_valid?.() === false
    );
  }

  /** Tells the client why (it signs in again rather than reconnecting), then closes the stream. */
  private endSession(stream: Stream): void {
    this.drop(stream);
    stream.res.end('event: session-ended\ndata: {"reason":"signed_out"}\n\n');
  }

  /**
   * Sends everything after the stream's position, a chunk per message, yielding between chunks.
   * The session is checked after the events are read: an event written after a logout or a disable
   * is then read only by a flush that also sees the logout, so it is never sent.
   */
  private flush(stream: Stream, reads?: Map<number, RecordedEvent[]>): void {
    if (!this.streams.has(stream)) return;
    if (stream.busy) {
      // A slow reader still waiting for its last message to drain is ended all the same.
      try {
        if (this.sessionEnded(stream)) this.endSession(stream);
      } catch {
        // the database is busy or closing; the next poll tries again
      }
      return;
    }
    let events: RecordedEvent[];
    try {
      events = reads?.get(stream.position) ?? this.store.readAll(stream.position, CHUNK);
      reads?.set(stream.position, events);
      if (this.sessionEnded(stream)) return this.endSession(stream);
    } catch {
      return; // the database is busy or closing; the next poll tries again
    }
    if (events.length === 0) return;
    this.send(stream, events);
  }

  private send(stream: Stream, events: RecordedEvent[]): void {
    const last = events[events.length - 1].position;
    const payload = events
      .filter((e) => TYPES.has(e.type) && canSeeViewEvent(e, stream.viewer))
      .map((e) => ({
        position: e.position,
        type: e.type,
        data: e.data,
        recorded_at: e.recorded_at,
        actor_id: e.metadata.actor_id,
        actor_name: e.metadata.actor_name ?? null,
        source: e.metadata.source,
        correlation_id: e.metadata.correlation_id,
      }));
    stream.position = last;
    stream.busy = true;
    const ok = stream.res.write(
      `id: ${last}\ndata: ${JSON.stringify({ last, events: payload })}\n\n`,
    );
    const next = () => {
      stream.busy = false;
      if (events.length === CHUNK) setImmediate(() => this.flush(stream));
    };
    if (ok) next();
    else stream.res.once('drain', next);
  }
}

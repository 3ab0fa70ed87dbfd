import {
  Controller,
  Get,
  Headers,
  HttpException,
  HttpStatus,
  Inject,
  OnModuleDestroy,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import { FUNDRAISING_EVENT_TYPES, RecordedEvent } from '@crm/events';
import { canSeeViewEvent, invalid, ViewActor } from '@crm/domain';
import type { Response } from 'express';
import { Core, CORE } from '../../core';
import { Roles } from '../auth/access.decorators';
import { AuthedRequest, RequestSession } from '../auth/auth.guard';
import { Actor, CurrentActor } from '../../infrastructure/request-context/actor';

const TYPES = new Set<string>(FUNDRAISING_EVENT_TYPES);

/** Events read per query; a long backlog goes out as several messages. */
const CHUNK = 2_000;
/** A client further behind than this reloads the whole state instead of replaying. */
const MAX_REPLAY = 50_000;
const HEARTBEAT_MS = 15_000;
/**
 * Catches appends made by another process on the same database (the hook only sees this one), and
 * with them a sign-out done there: a stream ends well within a second of it.
 */
const POLL_MS = 500;
/** Open streams per user: ten tabs or devices is plenty, and each holds a socket and a read position. */
export const MAX_STREAMS_PER_USER = 10;

interface Subscriber {
  position: number;
  /** Personal views of others are left out of what this subscriber gets. */
  viewer: ViewActor;
  /** The sign-in the stream was opened with; when it ends (logout, disable, role or password change, expiry), so does the stream. */
  session: RequestSession;
  res: Response;
  busy: boolean;
}

/**
 * Server-sent events of the fundraising base, after a log position. Every message carries
 * `id: <position>` so a reconnecting EventSource resumes exactly after the last event it got (Last-Event-ID),
 * without gaps or repeats. Only fundraising events go out; user and security events stay on the server.
 */
@Controller('fundraising/events')
@Roles('member', 'admin')
export class EventsStreamController implements OnModuleDestroy {
  private readonly subscribers = new Set<Subscriber>();
  private readonly perUser = new Map<string, number>();
  private wakeScheduled = false;
  private readonly poll: NodeJS.Timeout;
  private readonly heartbeat: NodeJS.Timeout;

  constructor(@Inject(CORE) private readonly core: Core) {
    // The hook runs inside the append's transaction: only schedule, read after it commits.
    core.store.onAppend(() => this.wakeSoon());
    this.poll = setInterval(() => this.wakeSoon(), POLL_MS);
    this.heartbeat = setInterval(() => {
      for (const s of this.subscribers) s.res.write(': heartbeat\n\n');
    }, HEARTBEAT_MS);
    this.poll.unref();
    this.heartbeat.unref();
  }

  @Get('stream')
  stream(
    @Query('after') after: string | undefined,
    @Headers('last-event-id') lastEventId: string | undefined,
    @CurrentActor() actor: Actor,
    @Req() req: AuthedRequest,
    @Res() res: Response,
  ): void {
    const raw = lastEventId ?? after;
    if (raw !== undefined && !/^\d{1,15}$/.test(raw))
      throw invalid('after must be a log position (a whole number)', {
        field: 'after',
        given: raw,
      });
    const session = req.session!;
    const open = this.perUser.get(session.user_id) ?? 0;
    if (open >= MAX_STREAMS_PER_USER) {
      throw new HttpException(
        {
          message: `you already have ${open} live streams open (at most ${MAX_STREAMS_PER_USER}); close a tab or window of the app and try again`,
          reason: 'too_many_streams',
          details: { reason: 'too_many_streams', limit: MAX_STREAMS_PER_USER, open },
        },
        HttpStatus.TOO_MANY_REQUESTS,
      );
    }
    const head = this.core.store.lastPosition();
    const position = raw === undefined ? head : Math.min(Number(raw), head);
    res.status(200);
    res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Connection', 'keep-alive');
    res.setHeader('X-Accel-Buffering', 'no');
    res.flushHeaders();
    req.socket.setTimeout(0);
    req.socket.setNoDelay(true);
    res.write(`retry: 2000\n\n`);
    const sub: Subscriber = { position, viewer: actor, session, res, busy: false };
    if (head - position > MAX_REPLAY) {
      res.write(`event: reload\nid: ${head}\ndata: {"version":${head}}\n\n`);
      sub.position = head;
    }
    this.subscribers.add(sub);
    this.perUser.set(session.user_id, open + 1);
    res.on('close', () => this.drop(sub));
    this.flush(sub);
  }

  private drop(sub: Subscriber): void {
    if (!this.subscribers.delete(sub)) return;
    const left = (this.perUser.get(sub.session.user_id) ?? 1) - 1;
    if (left > 0) this.perUser.set(sub.session.user_id, left);
    else this.perUser.delete(sub.session.user_id);
  }

  /** The auth guard's check, again, for a connection that outlives the request it was made by. */
  private sessionEnded(sub: Subscriber): boolean {
    const s = sub.session;
    const user = this.core.users.user(s.user_id);
    return (
      !user ||
      user.disabled ||
      user.token_version !== s.token_version ||
      user.role !== s.role ||
      Date.now() >= s.expires_at_ms
    );
  }

  /** Tells the client why (it signs in again rather than reconnecting), then closes the stream. */
  private endSession(sub: Subscriber): void {
    this.drop(sub);
    sub.res.end('event: session-ended\ndata: {"reason":"signed_out"}\n\n');
  }

  onModuleDestroy(): void {
    clearInterval(this.poll);
    clearInterval(this.heartbeat);
    for (const s of this.subscribers) s.res.end();
    this.subscribers.clear();
    this.perUser.clear();
  }

  private wakeSoon(): void {
    if (this.wakeScheduled || this.subscribers.size === 0) return;
    this.wakeScheduled = true;
    setImmediate(() => {
      this.wakeScheduled = false;
      for (const s of this.subscribers) this.flush(s);
    });
  }

  /**
   * Sends everything after the subscriber's position, a chunk per message, yielding between chunks.
   * The session is checked after the events are read: an event written after a logout or a disable
   * is then read only by a flush that also sees the logout, so it is never sent.
   */
  private flush(sub: Subscriber): void {
    if (!this.subscribers.has(sub)) return;
    if (sub.busy) {
      // A slow reader still waiting for its last message to drain is ended all the same.
      try {
        if (this.sessionEnded(sub)) this.endSession(sub);
      } catch {
        // the database is busy or closing; the next poll tries again
      }
      return;
    }
    let events: RecordedEvent[];
    try {
      events = this.core.store.readAll(sub.position, CHUNK);
      if (this.sessionEnded(sub)) return this.endSession(sub);
    } catch {
      return; // the database is busy or closing; the next poll tries again
    }
    if (events.length === 0) return;
    const last = events[events.length - 1].position;
    const payload = events
      .filter((e) => TYPES.has(e.type) && canSeeViewEvent(e, sub.viewer))
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
    sub.position = last;
    sub.busy = true;
    const ok = sub.res.write(`id: ${last}\ndata: ${JSON.stringify({ last, events: payload })}\n\n`);
    const next = () => {
      sub.busy = false;
      if (events.length === CHUNK) setImmediate(() => this.flush(sub));
    };
    if (ok) next();
    else sub.res.once('drain', next);
  }
}

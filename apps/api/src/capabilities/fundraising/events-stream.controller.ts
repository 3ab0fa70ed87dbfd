import { Controller, Get, Headers, Inject, OnModuleDestroy, Query, Req, Res } from '@nestjs/common';
import { FUNDRAISING_EVENT_TYPES, RecordedEvent } from '@crm/events';
import { canSeeView, invalid, ViewActor } from '@crm/domain';
import type { Request, Response } from 'express';
import { Core, CORE } from '../../core';
import { Roles } from '../auth/access.decorators';
import { Actor, CurrentActor } from '../../infrastructure/request-context/actor';

const TYPES = new Set<string>(FUNDRAISING_EVENT_TYPES);

/** A view event about someone else's personal view is not this subscriber's business. */
function visibleTo(e: RecordedEvent, viewer: ViewActor): boolean {
  if (e.type !== 'ViewSaved' && e.type !== 'ViewDeleted') return true;
  const d = e.data as { config?: Record<string, unknown>; previous?: { config?: Record<string, unknown> } | null };
  const config = e.type === 'ViewSaved' ? d.config : d.previous?.config;
  return canSeeView({ config: config ?? {} }, viewer);
}
/** Events read per query; a long backlog goes out as several messages. */
const CHUNK = 2_000;
/** A client further behind than this reloads the whole state instead of replaying. */
const MAX_REPLAY = 50_000;
const HEARTBEAT_MS = 15_000;
/** Catches appends made by another process on the same database (the hook only sees this one). */
const POLL_MS = 1_000;

interface Subscriber {
  position: number;
  /** Personal views of others are left out of what this subscriber gets. */
  viewer: ViewActor;
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
  stream(@Query('after') after: string | undefined, @Headers('last-event-id') lastEventId: string | undefined, @CurrentActor() actor: Actor, @Req() req: Request, @Res() res: Response): void {
    const raw = lastEventId ?? after;
    if (raw !== undefined && !/^\d{1,15}$/.test(raw)) throw invalid('after must be a log position (a whole number)', { field: 'after', given: raw });
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
    const sub: Subscriber = { position, viewer: actor, res, busy: false };
    if (head - position > MAX_REPLAY) {
      res.write(`event: reload\nid: ${head}\ndata: {"version":${head}}\n\n`);
      sub.position = head;
    }
    this.subscribers.add(sub);
    res.on('close', () => this.subscribers.delete(sub));
    this.flush(sub);
  }

  onModuleDestroy(): void {
    clearInterval(this.poll);
    clearInterval(this.heartbeat);
    for (const s of this.subscribers) s.res.end();
    this.subscribers.clear();
  }

  private wakeSoon(): void {
    if (this.wakeScheduled || this.subscribers.size === 0) return;
    this.wakeScheduled = true;
    setImmediate(() => {
      this.wakeScheduled = false;
      for (const s of this.subscribers) this.flush(s);
    });
  }

  /** Sends everything after the subscriber's position, a chunk per message, yielding between chunks. */
  private flush(sub: Subscriber): void {
    if (sub.busy || !this.subscribers.has(sub)) return;
    let events: RecordedEvent[];
    try {
      events = this.core.store.readAll(sub.position, CHUNK);
    } catch {
      return; // the database is busy or closing; the next poll tries again
    }
    if (events.length === 0) return;
    const last = events[events.length - 1].position;
    const payload = events.filter((e) => TYPES.has(e.type) && visibleTo(e, sub.viewer)).map((e) => ({
      position: e.position, type: e.type, data: e.data, recorded_at: e.recorded_at,
      actor_id: e.metadata.actor_id, actor_name: e.metadata.actor_name ?? null, source: e.metadata.source, correlation_id: e.metadata.correlation_id,
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

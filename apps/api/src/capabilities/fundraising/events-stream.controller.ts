import {
  Controller,
  Get,
  Headers,
  HttpException,
  HttpStatus,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import { invalid } from '@crm/domain';
import type { Response } from 'express';
import { Roles } from '../auth/index';
import type { AuthedRequest } from '../auth/index';
import { type Actor, CurrentActor } from '../../infrastructure/request-context/actor';
import { LiveEventsSubscriber, MAX_STREAMS_PER_USER } from './live-events.subscriber';

/**
 * Server-sent events of the fundraising base, after a log position. Every message carries
 * `id: <position>` so a reconnecting EventSource resumes exactly after the last event it got (Last-Event-ID),
 * without gaps or repeats. The fan-out itself is LiveEventsSubscriber; this is its HTTP side.
 */
@Controller('fundraising/events')
@Roles('member', 'admin')
export class EventsStreamController {
  constructor(private readonly live: LiveEventsSubscriber) {}

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
    const open = this.live.openFor(session.user_id);
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
    res.status(200);
    res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Connection', 'keep-alive');
    res.setHeader('X-Accel-Buffering', 'no');
    res.flushHeaders();
    req.socket.setTimeout(0);
    req.socket.setNoDelay(true);
    res.write(`retry: 2000\n\n`);
    this.live.open(raw === undefined ? undefined : Number(raw), actor, session, res);
  }
}

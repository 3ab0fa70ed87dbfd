import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Logger } from 'pino';
import { type HttpLogger, pinoHttp } from 'pino-http';

/** A request id a client or proxy sent is kept when it is plainly an id; anything else is replaced. */
const INCOMING_ID = /^[A-Za-z0-9._:-]{1,64}$/;
const PROBES = new Set(['/api/health', '/api/ready']);

interface LoggedRequest extends IncomingMessage {
  actor?: { id: string };
  route?: { path?: unknown };
  baseUrl?: string;
  path?: string;
}

/** The matched route's pattern (`/api/fundraising/records/:id`), else the path without its query. */
function routeOf(req: LoggedRequest): string {
  const pattern = req.route?.path;
  if (typeof pattern === 'string') return `${req.baseUrl ?? ''}${pattern}`;
  return req.path ?? (req.url ?? '').split('?')[0];
}

/**
 * One line per request when its answer is finished: request id, actor, method, route, status and
 * duration, and nothing else. The id is sent back as `X-Request-Id` and bound to every line logged
 * while the request runs (see LoggerModule in app.module.ts).
 */
export function requestLogging(root: Logger): HttpLogger {
  return pinoHttp({
    logger: root,
    quietReqLogger: true,
    quietResLogger: true,
    customAttributeKeys: { reqId: 'request_id', responseTime: 'duration_ms' },
    genReqId: (req: IncomingMessage, res: ServerResponse) => {
      const sent = req.headers['x-request-id'];
      const id = typeof sent === 'string' && INCOMING_ID.test(sent) ? sent : randomUUID();
      res.setHeader('X-Request-Id', id);
      return id;
    },
    customLogLevel: (req, res, err) => {
      if (err || res.statusCode >= 500) return 'error';
      if (res.statusCode >= 400) return 'warn';
      // The container's health check asks every 30 s: at debug, so it does not drown the rest.
      return PROBES.has((req.url ?? '').split('?')[0]) ? 'debug' : 'info';
    },
    customSuccessMessage: () => 'request',
    customErrorMessage: () => 'request failed',
    customSuccessObject: (req, res, fields: Record<string, unknown>) =>
      requestLine(req as LoggedRequest, res, fields),
    customErrorObject: (req, res, _err, fields: Record<string, unknown>) =>
      requestLine(req as LoggedRequest, res, fields),
  });
}

function requestLine(
  req: LoggedRequest,
  res: ServerResponse,
  fields: Record<string, unknown>,
): Record<string, unknown> {
  return {
    actor_id: req.actor?.id ?? null,
    method: req.method,
    route: routeOf(req),
    status: res.statusCode,
    duration_ms: fields.duration_ms,
  };
}

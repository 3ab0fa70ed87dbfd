import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  HttpException,
  HttpStatus,
  Logger,
} from '@nestjs/common';
import type { ErrorBody, ErrorReason } from '@crm/contracts';
import { DomainError } from '@crm/domain';
import { IdempotencyKeyReusedError, WrongExpectedVersionError } from '@crm/events';
import type { Request, Response } from 'express';
import { DatabaseBusyError } from '../database/database-busy.error';
import { InvalidUtf8BodyError } from './utf8-body';

export type { ErrorBody } from '@crm/contracts';

/** An error as answered: its body, any headers to send with it, and whether it goes to the log. */
export interface MappedError {
  body: ErrorBody;
  headers?: Record<string, string>;
  log?: boolean;
}

const DOMAIN_STATUS: Record<DomainError['code'], number> = {
  validation: HttpStatus.BAD_REQUEST,
  not_found: HttpStatus.NOT_FOUND,
  conflict: HttpStatus.CONFLICT,
  forbidden: HttpStatus.FORBIDDEN,
  illegal_state: HttpStatus.CONFLICT,
};

const PHRASE: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
  507: 'Insufficient Storage',
};

/** The reason of an error that names none of its own: what its status says. */
const STATUS_REASON: Record<number, ErrorReason> = {
  400: 'bad_request',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  422: 'unprocessable',
  429: 'rate_limited',
  503: 'database_busy',
  507: 'disk_full',
};

const reasonOfStatus = (status: number): ErrorReason =>
  STATUS_REASON[status] ?? (status < 500 ? 'bad_request' : 'internal_error');

export function errorBody(
  statusCode: number,
  reason: ErrorReason,
  message: string,
  details?: Record<string, unknown>,
): ErrorBody {
  return {
    statusCode,
    error: PHRASE[statusCode] ?? 'Error',
    message,
    reason,
    ...(details ? { details } : {}),
  };
}

const fromDomainError = (e: DomainError): MappedError => ({
  body: errorBody(DOMAIN_STATUS[e.code], e.reason, e.message, e.details),
});

const fromWrongExpectedVersion = (e: WrongExpectedVersionError): MappedError => ({
  body: errorBody(409, 'wrong_expected_version', 'the record changed since you loaded it', {
    current_version: e.current_version,
    updated_at: e.updated_at,
    updated_by: e.updated_by,
  }),
});

const fromDatabaseBusy = (e: DatabaseBusyError): MappedError => ({
  body: errorBody(503, 'database_busy', e.message, { reason: e.reason, waited_ms: e.waitedMs }),
  headers: { 'Retry-After': '1' },
});

// `details.reason` keeps the older name clients already read.
const fromIdempotencyKeyReused = (): MappedError => ({
  body: errorBody(
    422,
    'idempotency_key_reused',
    'this Idempotency-Key was already used for a different request',
    { field: 'Idempotency-Key', reason: 'key_reused' },
  ),
});

type HttpResponseBody =
  string | { message?: string | string[]; reason?: ErrorReason; details?: Record<string, unknown> };

/** Nest's own exceptions (guards, pipes, throttling, unknown routes) and those thrown as HttpException. */
function fromHttpException(e: HttpException): MappedError {
  const status = e.getStatus();
  const res = e.getResponse() as HttpResponseBody;
  if (typeof res === 'string') return { body: errorBody(status, reasonOfStatus(status), res) };
  const problems = Array.isArray(res.message) ? res.message : undefined;
  const message = Array.isArray(res.message) ? res.message.join('; ') : (res.message ?? e.message);
  const details = res.details ?? (problems ? { problems } : undefined);
  return { body: errorBody(status, res.reason ?? reasonOfStatus(status), message, details) };
}

const bodyRefused = (reason: ErrorReason, message: string): MappedError => ({
  body: errorBody(400, reason, message, { field: 'body', reason }),
});

/** The JSON body parser's errors: they carry a `type`, and a `status` for the rest. */
function fromBodyParser(err: {
  type?: string;
  status?: number;
  message?: string;
}): MappedError | undefined {
  const message = err.message ?? '';
  switch (err.type) {
    case 'entity.too.large':
      return {
        body: errorBody(413, 'payload_too_large', 'the request body is larger than the limit'),
      };
    case 'entity.parse.failed':
      if (/forbidden key/.test(message)) return bodyRefused('forbidden_key', message);
      // Parsing recurses once per level: a body nested thousands deep exhausts the stack, which is not bad JSON.
      if (/call stack/i.test(message))
        return bodyRefused('too_deep', 'the request body is nested too deeply');
      return bodyRefused('invalid_json', 'the request body is not valid JSON');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return {
        body: errorBody(415, 'unsupported_media_type', 'the request body must be UTF-8 JSON'),
      };
    default:
      break;
  }
  if (typeof err.status === 'number' && err.status >= 400 && err.status < 500)
    return {
      body: errorBody(err.status, reasonOfStatus(err.status), err.message ?? 'bad request'),
    };
  return undefined;
}

const fromInvalidUtf8 = (e: InvalidUtf8BodyError): MappedError => ({
  body: errorBody(400, 'invalid_utf8', e.message, {
    field: e.field,
    reason: 'invalid_utf8',
    byte_offset: e.byteOffset,
  }),
});

/** The database driver's and the file system's errors; anything else is an unexpected 500. */
function fromDriver(code: string | undefined): MappedError {
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED')
    return {
      body: errorBody(503, 'database_busy', 'the database is busy; try again shortly', {
        reason: 'database_busy',
      }),
      headers: { 'Retry-After': '1' },
      log: true,
    };
  // better-sqlite3 raises SQLITE_FULL when the disk fills (the WAL append or a backup copy fails); file writes raise ENOSPC.
  if (
    code === 'SQLITE_FULL' ||
    code === 'SQLITE_IOERR_WRITE' ||
    code === 'ENOSPC' ||
    code === 'EDQUOT'
  )
    return {
      body: errorBody(507, 'disk_full', 'the server is out of disk space; nothing was saved'),
      log: true,
    };
  return {
    body: errorBody(500, 'internal_error', 'an unexpected error occurred; nothing was saved'),
    log: true,
  };
}

/**
 * Maps every error to `{ statusCode, error, message, reason, details }`. Nothing internal leaks
 * from a 500.
 */
export function toErrorBody(e: unknown): MappedError {
  if (e instanceof DomainError) return fromDomainError(e);
  if (e instanceof WrongExpectedVersionError) return fromWrongExpectedVersion(e);
  if (e instanceof DatabaseBusyError) return fromDatabaseBusy(e);
  if (e instanceof IdempotencyKeyReusedError) return fromIdempotencyKeyReused();
  if (e instanceof HttpException) return fromHttpException(e);
  if (e instanceof InvalidUtf8BodyError) return fromInvalidUtf8(e);
  const err = e as { type?: string; status?: number; code?: string; message?: string } | null;
  return (err ? fromBodyParser(err) : undefined) ?? fromDriver(err?.code);
}

@Catch()
export class ErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const res = ctx.getResponse<Response>();
    const req = ctx.getRequest<Request>();
    const { body, headers, log } = toErrorBody(exception);
    if (log)
      this.logger.error(
        `${req.method} ${req.path} → ${body.statusCode}: ${(exception as Error)?.stack ?? String(exception)}`,
      );
    if (res.headersSent) return;
    for (const [k, v] of Object.entries(headers ?? {})) res.setHeader(k, v);
    res.status(body.statusCode).json(body);
  }
}

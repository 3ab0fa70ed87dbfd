import {
  ArgumentsHost,
  Catch,
  ExceptionFilter,
  HttpException,
  HttpStatus,
  Logger,
} from '@nestjs/common';
import { DomainError } from '@crm/domain';
import { IdempotencyKeyReusedError, WrongExpectedVersionError } from '@crm/events';
import type { Request, Response } from 'express';
import { DatabaseBusyError } from '../database/database-busy.error';
import { InvalidUtf8BodyError } from './utf8-body';

export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  details?: Record<string, unknown>;
}

const DOMAIN_STATUS: Record<DomainError['code'], number> = {
  validation: HttpStatus.BAD_REQUEST,
  not_found: HttpStatus.NOT_FOUND,
  conflict: HttpStatus.CONFLICT,
  forbidden: HttpStatus.FORBIDDEN,
  illegal_state: HttpStatus.CONFLICT,
};

const REASON: Record<number, string> = {
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

/** Maps every error to `{ statusCode, error, message, details }`. Nothing internal leaks from a 500. */
export function toErrorBody(e: unknown): {
  body: ErrorBody;
  headers?: Record<string, string>;
  log?: boolean;
} {
  const make = (
    statusCode: number,
    message: string,
    details?: Record<string, unknown>,
  ): ErrorBody => ({
    statusCode,
    error: REASON[statusCode] ?? 'Error',
    message,
    ...(details ? { details } : {}),
  });
  if (e instanceof DomainError) return { body: make(DOMAIN_STATUS[e.code], e.message, e.details) };
  if (e instanceof WrongExpectedVersionError) {
    return {
      body: make(409, 'the record changed since you loaded it', {
        current_version: e.current_version,
        updated_at: e.updated_at,
        updated_by: e.updated_by,
      }),
    };
  }
  if (e instanceof DatabaseBusyError)
    return {
      body: make(503, e.message, { reason: e.reason, waited_ms: e.waitedMs }),
      headers: { 'Retry-After': '1' },
    };
  if (e instanceof IdempotencyKeyReusedError)
    return {
      body: make(422, 'this Idempotency-Key was already used for a different request', {
        field: 'Idempotency-Key',
        reason: 'key_reused',
      }),
    };
  if (e instanceof HttpException) {
    const status = e.getStatus();
    const res = e.getResponse() as
      string | { message?: string | string[]; details?: Record<string, unknown> };
    const msg =
      typeof res === 'string'
        ? res
        : Array.isArray(res.message)
          ? res.message.join('; ')
          : (res.message ?? e.message);
    const details =
      typeof res === 'object' && res.details
        ? res.details
        : Array.isArray((res as { message?: unknown }).message)
          ? { problems: (res as { message: string[] }).message }
          : undefined;
    return { body: make(status, msg, details) };
  }
  const err = e as { type?: string; status?: number; code?: string; message?: string };
  // body-parser errors carry a status and a type.
  if (err?.type === 'entity.too.large')
    return { body: make(413, 'the request body is larger than the limit') };
  if (e instanceof InvalidUtf8BodyError)
    return {
      body: make(400, e.message, {
        field: e.field,
        reason: 'invalid_utf8',
        byte_offset: e.byteOffset,
      }),
    };
  if (err?.type === 'entity.parse.failed') {
    if (/forbidden key/.test(err.message ?? ''))
      return { body: make(400, err.message!, { field: 'body', reason: 'forbidden_key' }) };
    // Parsing recurses once per level: a body nested thousands deep exhausts the stack, which is not bad JSON.
    if (/call stack/i.test(err.message ?? ''))
      return {
        body: make(400, 'the request body is nested too deeply', {
          field: 'body',
          reason: 'too_deep',
        }),
      };
    return {
      body: make(400, 'the request body is not valid JSON', {
        field: 'body',
        reason: 'invalid_json',
      }),
    };
  }
  if (err?.type === 'encoding.unsupported' || err?.type === 'charset.unsupported')
    return { body: make(415, 'the request body must be UTF-8 JSON') };
  if (typeof err?.status === 'number' && err.status >= 400 && err.status < 500)
    return { body: make(err.status, err.message ?? 'bad request') };
  if (err?.code === 'SQLITE_BUSY' || err?.code === 'SQLITE_LOCKED')
    return {
      body: make(503, 'the database is busy; try again shortly', { reason: 'database_busy' }),
      headers: { 'Retry-After': '1' },
      log: true,
    };
  // better-sqlite3 raises SQLITE_FULL when the disk fills (the WAL append or a backup copy fails); file writes raise ENOSPC.
  if (
    err?.code === 'SQLITE_FULL' ||
    err?.code === 'SQLITE_IOERR_WRITE' ||
    err?.code === 'ENOSPC' ||
    err?.code === 'EDQUOT'
  )
    return { body: make(507, 'the server is out of disk space; nothing was saved'), log: true };
  return { body: make(500, 'an unexpected error occurred; nothing was saved'), log: true };
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

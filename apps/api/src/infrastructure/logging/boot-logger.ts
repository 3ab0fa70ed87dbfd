import { type LoggerService } from '@nestjs/common';
import { type Logger } from 'pino';

type Level = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';

/**
 * Nest's logger while the app is being built, before nestjs-pino's (which binds request ids) can be
 * taken from it: the same pino logger, the same JSON lines. A start that fails is not logged here:
 * createApp's caller gets the error and says why (main.ts, without a stack trace for what the
 * operator can fix), so Nest's ExceptionHandler lines would only repeat it with a stack.
 */
export class BootLogger implements LoggerService {
  constructor(private readonly root: Logger) {}

  log(message: unknown, ...params: unknown[]): void {
    this.write('info', message, params);
  }
  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }
  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }
  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }
  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params);
  }
  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  private write(level: Level, message: unknown, params: unknown[]): void {
    const last = params.at(-1);
    const context = typeof last === 'string' ? last : undefined;
    if (context === 'ExceptionHandler') return;
    const stack =
      level === 'error' && typeof params[0] === 'string' && params.length > 1
        ? params[0]
        : undefined;
    this.root[level](
      { context, stack },
      message instanceof Error ? message.message : String(message),
    );
  }
}

import pino, { type Level, type Logger } from 'pino';
import { type Environment } from '../../config/app-config';

export type LogLevel = Level | 'silent';
export const LOG_LEVELS: readonly LogLevel[] = [
  'fatal',
  'error',
  'warn',
  'info',
  'debug',
  'trace',
  'silent',
];

/**
 * The process's one pino logger: JSON lines on stdout, one per event, with ISO times. A person at a
 * terminal in development reads them through pino-pretty (a dev dependency: a production install,
 * which lacks it, keeps JSON). Nothing here serialises a request or response as a whole; the request
 * line is built field by field (see request-logging.ts), so headers, bodies and query strings, which
 * carry passwords, tokens and cell values, never reach a log.
 */
export function createRootLogger(level: LogLevel, env: Environment): Logger {
  const options = {
    level,
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
  };
  if (env === 'development' && process.stdout.isTTY && prettyAvailable())
    return pino({
      ...options,
      formatters: {},
      transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss.l' } },
    });
  // Lines are gathered and written 4 KB (or a quarter second) at a time: a write to stdout per request
  // cost about 17 µs of the edit path's millisecond, the buffer less than 1 µs.
  const destination = pino.destination({ dest: 1, sync: false, minLength: 4096 });
  const timer = setInterval(() => destination.flush(), FLUSH_EVERY_MS);
  timer.unref();
  const logger = pino(options, destination);
  flushers.set(logger, () => {
    clearInterval(timer);
    try {
      destination.flushSync();
    } catch {
      // a write still in flight finishes on its own
    }
  });
  return logger;
}

const FLUSH_EVERY_MS = 250;
const flushers = new WeakMap<Logger, () => void>();

/** Writes out what the logger holds; on shutdown, before the process ends on its signal. */
export function flushLogs(logger: Logger): void {
  flushers.get(logger)?.();
}

function prettyAvailable(): boolean {
  try {
    require.resolve('pino-pretty');
    return true;
  } catch {
    return false;
  }
}

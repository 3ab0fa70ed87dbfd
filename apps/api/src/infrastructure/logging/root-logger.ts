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
  return pino(options);
}

function prettyAvailable(): boolean {
  try {
    require.resolve('pino-pretty');
    return true;
  } catch {
    return false;
  }
}

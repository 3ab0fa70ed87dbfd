import { isAbsolute, resolve } from 'node:path';
import { LOG_LEVELS, type LogLevel } from '../infrastructure/logging/root-logger';
import { EnvReader } from './env-reader';
import { readAdmin, readCorsOrigins, readSecretKey, readTrustProxy } from './security-settings';

export type Environment = 'development' | 'production' | 'test';

export interface AppConfig {
  env: Environment;
  port: number;
  host: string;
  dataDir: string;
  databaseFile: string;
  /** Where backups and their manifests go (CRM_BACKUP_DIR, default `<dataDir>/backups`). */
  backupDir: string;
  /** Whether the nightly backup job runs in this process (CRM_BACKUP_SCHEDULER=off for one-off boots such as the drill). */
  backupScheduler: boolean;
  /** Largest JSON body accepted, in bytes. */
  bodyLimitBytes: number;
  /** Exact origins allowed for cross-origin calls; empty means same-origin only. */
  corsOrigins: string[];
  /** Express's `trust proxy`: false, a number of proxy hops, or the proxies' addresses/subnets. */
  trustProxy: false | number | string[];
  publicUrl: string | null;
  /** From CRM_SECRET_KEY; outside production, `createApp` fills it from `<dataDir>/secret.key` when unset. */
  secretKey: string | null;
  secretKeySource: 'environment' | 'data-dir' | null;
  handsontableLicenseKey: string;
  adminEmail: string | null;
  adminPassword: string | null;
  adminName: string;
  /** Lifetime of a sign-in (the JWT's exp and the cookie's Max-Age). */
  tokenTtlMinutes: number;
  inviteTtlDays: number;
  rateLimits: RateLimits;
  /** Directory of the built web app; null when it is not built. */
  webDist: string | null;
  busyTimeoutMs: number;
  /** CRM_LOG_LEVEL: the lowest level written (`info` by default; `silent` writes nothing). */
  logLevel: LogLevel;
}

export interface RateLimits {
  /** Sign-in attempts per minute for one client IP and one email. */
  loginPerAccount: number;
  /** Sign-in attempts per minute for one client IP, whatever the email (password spraying). */
  loginPerIp: number;
  /** Accept-invite, setup and invite look-ups per minute for one client IP. */
  tokenPerIp: number;
  /** Writes (POST, PUT, PATCH, DELETE) per minute for one client IP and signed-in user. */
  writesPerMinute: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const MB = 1024 * 1024;

/** The only reader of process.env. Collects every problem and throws them together. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): AppConfig {
  const r = new EnvReader(env);
  // Problems are listed in the order of these readers.
  const server = readServer(r, cwd);
  const corsOrigins = readCorsOrigins(r);
  const publicUrl = readPublicUrl(r);
  const secretKey = readSecretKey(r, server.env);
  const admin = readAdmin(r);
  const trustProxy = readTrustProxy(r);
  const config: AppConfig = {
    ...server,
    corsOrigins,
    trustProxy,
    publicUrl,
    secretKey,
    secretKeySource: secretKey ? 'environment' : null,
    handsontableLicenseKey:
      r.str('CRM_HANDSONTABLE_LICENSE_KEY') ?? 'non-commercial-and-evaluation',
    ...admin,
    ...readLimits(r),
    webDist: r.str('CRM_WEB_DIST') ?? resolve(__dirname, '../../../web/dist'),
    busyTimeoutMs: r.int('CRM_BUSY_TIMEOUT_MS', 5000, 0, 60000),
    logLevel: readLogLevel(r),
  };
  if (r.problems.length) throw new ConfigError(r.problems);
  return config;
}

type ServerSettings = Pick<
  AppConfig,
  | 'env'
  | 'port'
  | 'host'
  | 'dataDir'
  | 'databaseFile'
  | 'backupDir'
  | 'backupScheduler'
  | 'bodyLimitBytes'
>;

/** Where the server listens and keeps its files. */
function readServer(r: EnvReader, cwd: string): ServerSettings {
  const env = (r.str('CRM_ENV') ?? 'development') as Environment;
  if (!['development', 'production', 'test'].includes(env))
    r.problem(`CRM_ENV must be development, production or test (got "${env}")`);
  const port = r.int('CRM_PORT', 3000, 0, 65535);
  const host = r.str('CRM_HOST') ?? '127.0.0.1';
  if (!/^[A-Za-z0-9.:\-[\]]+$/.test(host))
    r.problem(`CRM_HOST must be a host name or IP address (got "${host}")`);
  const dataDirRaw = r.str('CRM_DATA_DIR') ?? './data';
  const dataDir = isAbsolute(dataDirRaw) ? dataDirRaw : resolve(cwd, dataDirRaw);
  const bodyLimitMb = r.int('CRM_BODY_LIMIT_MB', 5, 1, 100);
  const backupDirRaw = r.str('CRM_BACKUP_DIR');
  const backupDir =
    backupDirRaw === undefined
      ? resolve(dataDir, 'backups')
      : isAbsolute(backupDirRaw)
        ? backupDirRaw
        : resolve(cwd, backupDirRaw);
  const schedulerRaw = r.str('CRM_BACKUP_SCHEDULER') ?? 'on';
  if (!/^(on|off|true|false|1|0)$/i.test(schedulerRaw))
    r.problem(`CRM_BACKUP_SCHEDULER must be on or off (got "${schedulerRaw}")`);
  return {
    env,
    port,
    host,
    dataDir,
    databaseFile: resolve(dataDir, 'crm.sqlite'),
    backupDir,
    backupScheduler: !/^(off|false|0)$/i.test(schedulerRaw),
    bodyLimitBytes: bodyLimitMb * MB,
  };
}

function readLogLevel(r: EnvReader): LogLevel {
  const raw = (r.str('CRM_LOG_LEVEL') ?? 'info').toLowerCase();
  if ((LOG_LEVELS as string[]).includes(raw)) return raw as LogLevel;
  r.problem(`CRM_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')} (got "${raw}")`);
  return 'info';
}

function readPublicUrl(r: EnvReader): string | null {
  const publicUrl = r.str('CRM_PUBLIC_URL') ?? null;
  if (publicUrl && !URL.canParse(publicUrl))
    r.problem(`CRM_PUBLIC_URL must be a URL (got "${publicUrl}")`);
  return publicUrl;
}

/** How long sign-ins and invites last, and the rate limits. */
function readLimits(
  r: EnvReader,
): Pick<AppConfig, 'tokenTtlMinutes' | 'inviteTtlDays' | 'rateLimits'> {
  return {
    tokenTtlMinutes: r.int('CRM_TOKEN_TTL_MINUTES', 720, 5, 43_200),
    inviteTtlDays: r.int('CRM_INVITE_TTL_DAYS', 7, 1, 30),
    rateLimits: {
      loginPerAccount: r.int('CRM_RATE_LIMIT_LOGIN_PER_MINUTE', 5, 1, 1000),
      loginPerIp: r.int('CRM_RATE_LIMIT_LOGIN_IP_PER_MINUTE', 30, 1, 10_000),
      tokenPerIp: r.int('CRM_RATE_LIMIT_TOKEN_PER_MINUTE', 10, 1, 1000),
      writesPerMinute: r.int('CRM_RATE_LIMIT_WRITES_PER_MINUTE', 1500, 60, 1_000_000),
    },
  };
}

export const APP_CONFIG = Symbol('APP_CONFIG');

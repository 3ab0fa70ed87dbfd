import { isIP } from 'node:net';
import { isAbsolute, resolve } from 'node:path';
import { normalizeEmail, passwordProblem } from '@crm/domain';
import { isCommonPassword } from '../infrastructure/security/common-passwords';

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
  const problems: string[] = [];
  const str = (k: string) => {
    const v = env[k];
    return v === undefined || v.trim() === '' ? undefined : v.trim();
  };
  const int = (k: string, fallback: number, min: number, max: number) => {
    const raw = str(k);
    if (raw === undefined) return fallback;
    if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
      problems.push(`${k} must be a whole number from ${min} to ${max} (got "${raw}")`);
      return fallback;
    }
    return Number(raw);
  };

  const envName = (str('CRM_ENV') ?? 'development') as Environment;
  if (!['development', 'production', 'test'].includes(envName))
    problems.push(`CRM_ENV must be development, production or test (got "${envName}")`);
  const port = int('CRM_PORT', 3000, 0, 65535);
  const host = str('CRM_HOST') ?? '127.0.0.1';
  if (!/^[A-Za-z0-9.:\-[\]]+$/.test(host))
    problems.push(`CRM_HOST must be a host name or IP address (got "${host}")`);
  const dataDirRaw = str('CRM_DATA_DIR') ?? './data';
  const dataDir = isAbsolute(dataDirRaw) ? dataDirRaw : resolve(cwd, dataDirRaw);
  const bodyLimitMb = int('CRM_BODY_LIMIT_MB', 5, 1, 100);
  const backupDirRaw = str('CRM_BACKUP_DIR');
  const backupDir =
    backupDirRaw === undefined
      ? resolve(dataDir, 'backups')
      : isAbsolute(backupDirRaw)
        ? backupDirRaw
        : resolve(cwd, backupDirRaw);
  const schedulerRaw = str('CRM_BACKUP_SCHEDULER') ?? 'on';
  if (!/^(on|off|true|false|1|0)$/i.test(schedulerRaw))
    problems.push(`CRM_BACKUP_SCHEDULER must be on or off (got "${schedulerRaw}")`);

  const corsRaw = str('CRM_CORS_ORIGIN');
  const corsOrigins: string[] = [];
  for (const o of corsRaw
    ? corsRaw
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : []) {
    if (o === '*' || o === 'null') {
      problems.push(`CRM_CORS_ORIGIN must list exact origins; "${o}" is not allowed`);
      continue;
    }
    // The URL parser takes `*` as part of a host name, so `https://*.example.com` would pass as one
    // (never-matching) origin and read as a promise to allow every subdomain. Origins are matched exactly.
    if (o.includes('*')) {
      problems.push(
        `CRM_CORS_ORIGIN entry "${o}" has a wildcard; origins are matched exactly, so list each one (e.g. https://crm.example.com)`,
      );
      continue;
    }
    try {
      const u = new URL(o);
      if ((u.protocol !== 'https:' && u.protocol !== 'http:') || u.origin !== o.replace(/\/$/, ''))
        throw new Error('not an origin');
      corsOrigins.push(u.origin);
    } catch {
      problems.push(`CRM_CORS_ORIGIN entry "${o}" is not an origin like https://crm.example.com`);
    }
  }

  const publicUrl = str('CRM_PUBLIC_URL') ?? null;
  if (publicUrl) {
    try {
      new URL(publicUrl);
    } catch {
      problems.push(`CRM_PUBLIC_URL must be a URL (got "${publicUrl}")`);
    }
  }
  // Messages name the setting and the rule, never the value: a secret must not reach a log.
  const secretKey = str('CRM_SECRET_KEY') ?? null;
  if (envName === 'production') {
    if (!secretKey)
      problems.push(
        'CRM_SECRET_KEY is required in production (at least 32 bytes of random text, e.g. `openssl rand -base64 48`)',
      );
    else if (Buffer.byteLength(secretKey) < 32)
      problems.push(
        'CRM_SECRET_KEY must be at least 32 bytes long (e.g. `openssl rand -base64 48`)',
      );
    else if (isWeakSecret(secretKey))
      problems.push(
        'CRM_SECRET_KEY is a well-known default or a repeated pattern; generate a random one',
      );
  } else if (secretKey && Buffer.byteLength(secretKey) < 32) {
    problems.push(
      'CRM_SECRET_KEY must be at least 32 bytes long (or unset it outside production to use a generated one)',
    );
  }
  const adminEmailRaw = str('CRM_ADMIN_EMAIL') ?? null;
  const adminPassword = env.CRM_ADMIN_PASSWORD ? env.CRM_ADMIN_PASSWORD : null;
  const adminName = str('CRM_ADMIN_NAME') ?? 'Admin';
  let adminEmail: string | null = null;
  if (adminEmailRaw) {
    try {
      adminEmail = normalizeEmail(adminEmailRaw);
    } catch {
      problems.push('CRM_ADMIN_EMAIL must be an email address');
    }
  }
  if (!!adminEmailRaw !== !!adminPassword)
    problems.push('CRM_ADMIN_EMAIL and CRM_ADMIN_PASSWORD go together: set both or neither');
  if (adminPassword) {
    const problem = passwordProblem(
      adminPassword,
      { email: adminEmail ?? undefined, name: adminName },
      isCommonPassword,
    );
    if (problem)
      problems.push(`CRM_ADMIN_PASSWORD is refused: ${problem.replace(/^the password /, 'it ')}`);
  }
  const trustProxy = parseTrustProxy(str('CRM_TRUST_PROXY'), problems);

  const config: AppConfig = {
    env: envName,
    port,
    host,
    dataDir,
    databaseFile: resolve(dataDir, 'crm.sqlite'),
    backupDir,
    backupScheduler: !/^(off|false|0)$/i.test(schedulerRaw),
    bodyLimitBytes: bodyLimitMb * MB,
    corsOrigins,
    trustProxy,
    publicUrl,
    secretKey,
    secretKeySource: secretKey ? 'environment' : null,
    handsontableLicenseKey: str('CRM_HANDSONTABLE_LICENSE_KEY') ?? 'non-commercial-and-evaluation',
    adminEmail,
    adminPassword,
    adminName,
    tokenTtlMinutes: int('CRM_TOKEN_TTL_MINUTES', 720, 5, 43_200),
    inviteTtlDays: int('CRM_INVITE_TTL_DAYS', 7, 1, 30),
    rateLimits: {
      loginPerAccount: int('CRM_RATE_LIMIT_LOGIN_PER_MINUTE', 5, 1, 1000),
      loginPerIp: int('CRM_RATE_LIMIT_LOGIN_IP_PER_MINUTE', 30, 1, 10_000),
      tokenPerIp: int('CRM_RATE_LIMIT_TOKEN_PER_MINUTE', 10, 1, 1000),
      writesPerMinute: int('CRM_RATE_LIMIT_WRITES_PER_MINUTE', 1500, 60, 1_000_000),
    },
    webDist: str('CRM_WEB_DIST') ?? resolve(__dirname, '../../../web/dist'),
    busyTimeoutMs: int('CRM_BUSY_TIMEOUT_MS', 5000, 0, 60000),
  };
  if (problems.length) throw new ConfigError(problems);
  return config;
}

/** Known placeholders, and keys made of one short piece repeated, are as good as no key. */
function isWeakSecret(secret: string): boolean {
  if (/^(changeme|change-me|change_me|secret|password|default|example|test|dev)/i.test(secret))
    return true;
  return /^(.{1,8}?)\1+$/s.test(secret) || new Set(secret).size < 10;
}

/**
 * `false` (the default: X-Forwarded-For is ignored), `true` (one reverse proxy in front: the address it
 * appended is the client's), a number of proxy hops, or a comma-separated list of the proxies' addresses
 * or subnets (or Express's names loopback, linklocal, uniquelocal).
 */
function parseTrustProxy(raw: string | undefined, problems: string[]): false | number | string[] {
  if (raw === undefined || /^(0|false|no|off)$/i.test(raw)) return false;
  if (/^(true|yes|on)$/i.test(raw)) return 1;
  if (/^\d+$/.test(raw)) {
    const hops = Number(raw);
    if (hops > 10)
      problems.push(
        `CRM_TRUST_PROXY must be true, false, a number of proxies from 0 to 10, or a list of proxy addresses (got "${raw}")`,
      );
    return Math.min(hops, 10);
  }
  const list = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const entry of list) {
    const [addr, bits, extra] = entry.split('/');
    const named = ['loopback', 'linklocal', 'uniquelocal'].includes(entry);
    const family = isIP(addr ?? '');
    const maskOk =
      bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (family === 6 ? 128 : 32));
    if (!named && (family === 0 || !maskOk || extra !== undefined))
      problems.push(
        `CRM_TRUST_PROXY entry "${entry}" is not an IP address, a subnet like 10.0.0.0/8, or loopback/linklocal/uniquelocal`,
      );
  }
  return list;
}

export const APP_CONFIG = Symbol('APP_CONFIG');

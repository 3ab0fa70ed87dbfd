import { isAbsolute, resolve } from 'node:path';

export type Environment = 'development' | 'production' | 'test';

export interface AppConfig {
  env: Environment;
  port: number;
  host: string;
  dataDir: string;
  databaseFile: string;
  /** Largest JSON body accepted, in bytes. */
  bodyLimitBytes: number;
  /** Exact origins allowed for cross-origin calls; empty means same-origin only. */
  corsOrigins: string[];
  trustProxy: boolean;
  publicUrl: string | null;
  secretKey: string | null;
  handsontableLicenseKey: string;
  adminEmail: string | null;
  adminPassword: string | null;
  /** Directory of the built web app; null when it is not built. */
  webDist: string | null;
  busyTimeoutMs: number;
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
  const bool = (k: string, fallback: boolean) => {
    const raw = str(k);
    if (raw === undefined) return fallback;
    if (/^(1|true|yes|on)$/i.test(raw)) return true;
    if (/^(0|false|no|off)$/i.test(raw)) return false;
    problems.push(`${k} must be true or false (got "${raw}")`);
    return fallback;
  };

  const envName = (str('CRM_ENV') ?? 'development') as Environment;
  if (!['development', 'production', 'test'].includes(envName)) problems.push(`CRM_ENV must be development, production or test (got "${envName}")`);
  const port = int('CRM_PORT', 3000, 0, 65535);
  const host = str('CRM_HOST') ?? '127.0.0.1';
  if (!/^[A-Za-z0-9.:\-[\]]+$/.test(host)) problems.push(`CRM_HOST must be a host name or IP address (got "${host}")`);
  const dataDirRaw = str('CRM_DATA_DIR') ?? './data';
  const dataDir = isAbsolute(dataDirRaw) ? dataDirRaw : resolve(cwd, dataDirRaw);
  const bodyLimitMb = int('CRM_BODY_LIMIT_MB', 5, 1, 100);

  const corsRaw = str('CRM_CORS_ORIGIN');
  const corsOrigins: string[] = [];
  for (const o of corsRaw ? corsRaw.split(',').map((s) => s.trim()).filter(Boolean) : []) {
    if (o === '*' || o === 'null') {
      problems.push(`CRM_CORS_ORIGIN must list exact origins; "${o}" is not allowed`);
      continue;
    }
    try {
      const u = new URL(o);
      if ((u.protocol !== 'https:' && u.protocol !== 'http:') || u.origin !== o.replace(/\/$/, '')) throw new Error('not an origin');
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
  const secretKey = str('CRM_SECRET_KEY') ?? null;
  if (envName === 'production') {
    if (!secretKey) problems.push('CRM_SECRET_KEY is required in production (at least 32 bytes of random text)');
    else if (Buffer.byteLength(secretKey) < 32) problems.push('CRM_SECRET_KEY must be at least 32 bytes long');
    else if (/^(changeme|change-me|secret|password)/i.test(secretKey)) problems.push('CRM_SECRET_KEY is a well-known default; generate a random one');
  }
  const adminPassword = str('CRM_ADMIN_PASSWORD') ?? null;
  if (envName === 'production' && adminPassword && /^(admin|password|changeme)/i.test(adminPassword)) problems.push('CRM_ADMIN_PASSWORD is a well-known default password');

  const config: AppConfig = {
    env: envName,
    port,
    host,
    dataDir,
    databaseFile: resolve(dataDir, 'crm.sqlite'),
    bodyLimitBytes: bodyLimitMb * MB,
    corsOrigins,
    trustProxy: bool('CRM_TRUST_PROXY', false),
    publicUrl,
    secretKey,
    handsontableLicenseKey: str('CRM_HANDSONTABLE_LICENSE_KEY') ?? 'non-commercial-and-evaluation',
    adminEmail: str('CRM_ADMIN_EMAIL') ?? null,
    adminPassword,
    webDist: str('CRM_WEB_DIST') ?? resolve(__dirname, '../../../web/dist'),
    busyTimeoutMs: int('CRM_BUSY_TIMEOUT_MS', 5000, 0, 60000),
  };
  if (problems.length) throw new ConfigError(problems);
  return config;
}

export const APP_CONFIG = Symbol('APP_CONFIG');

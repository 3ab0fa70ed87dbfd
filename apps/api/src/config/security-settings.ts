import { isIP } from 'node:net';
import { normalizeEmail, passwordProblem } from '@crm/domain';
import { isCommonPassword } from '../infrastructure/security/common-passwords';
import { type Environment } from './app-config';
import { type EnvReader } from './env-reader';

/** CRM_CORS_ORIGIN: exact origins only; no wildcard, no `null`. */
export function readCorsOrigins(r: EnvReader): string[] {
  const raw = r.str('CRM_CORS_ORIGIN');
  const entries = raw
    ? raw
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : [];
  const origins: string[] = [];
  for (const o of entries) {
    if (o === '*' || o === 'null') {
      r.problem(`CRM_CORS_ORIGIN must list exact origins; "${o}" is not allowed`);
      continue;
    }
    // The URL parser takes `*` as part of a host name, so `https://*.example.com` would pass as one
    // (never-matching) origin and read as a promise to allow every subdomain. Origins are matched exactly.
    if (o.includes('*')) {
      r.problem(
        `CRM_CORS_ORIGIN entry "${o}" has a wildcard; origins are matched exactly, so list each one (e.g. https://crm.example.com)`,
      );
      continue;
    }
    const origin = exactOrigin(o);
    if (origin) origins.push(origin);
    else r.problem(`CRM_CORS_ORIGIN entry "${o}" is not an origin like https://crm.example.com`);
  }
  return origins;
}

function exactOrigin(o: string): string | null {
  try {
    const u = new URL(o);
    if ((u.protocol !== 'https:' && u.protocol !== 'http:') || u.origin !== o.replace(/\/$/, ''))
      return null;
    return u.origin;
  } catch {
    return null;
  }
}

/**
 * CRM_SECRET_KEY: required and strong in production; elsewhere optional (a generated one is used).
 * Messages name the setting and the rule, never the value: a secret must not reach a log.
 */
export function readSecretKey(r: EnvReader, env: Environment): string | null {
  const secretKey = r.str('CRM_SECRET_KEY') ?? null;
  if (env === 'production') {
    if (!secretKey)
      r.problem(
        'CRM_SECRET_KEY is required in production (at least 32 bytes of random text, e.g. `openssl rand -base64 48`)',
      );
    else if (Buffer.byteLength(secretKey) < 32)
      r.problem('CRM_SECRET_KEY must be at least 32 bytes long (e.g. `openssl rand -base64 48`)');
    else if (isWeakSecret(secretKey))
      r.problem(
        'CRM_SECRET_KEY is a well-known default or a repeated pattern; generate a random one',
      );
  } else if (secretKey && Buffer.byteLength(secretKey) < 32) {
    r.problem(
      'CRM_SECRET_KEY must be at least 32 bytes long (or unset it outside production to use a generated one)',
    );
  }
  return secretKey;
}

/** Known placeholders, and keys made of one short piece repeated, are as good as no key. */
function isWeakSecret(secret: string): boolean {
  if (/^(changeme|change-me|change_me|secret|password|default|example|test|dev)/i.test(secret))
    return true;
  return /^(.{1,8}?)\1+$/s.test(secret) || new Set(secret).size < 10;
}

export interface AdminSettings {
  adminEmail: string | null;
  adminPassword: string | null;
  adminName: string;
}

/** The first admin from the environment: email and password together, the password as strong as any. */
export function readAdmin(r: EnvReader): AdminSettings {
  const adminEmailRaw = r.str('CRM_ADMIN_EMAIL') ?? null;
  const adminPassword = r.raw('CRM_ADMIN_PASSWORD');
  const adminName = r.str('CRM_ADMIN_NAME') ?? 'Admin';
  let adminEmail: string | null = null;
  if (adminEmailRaw) {
    try {
      adminEmail = normalizeEmail(adminEmailRaw);
    } catch {
      r.problem('CRM_ADMIN_EMAIL must be an email address');
    }
  }
  if (!!adminEmailRaw !== !!adminPassword)
    r.problem('CRM_ADMIN_EMAIL and CRM_ADMIN_PASSWORD go together: set both or neither');
  if (adminPassword) {
    const problem = passwordProblem(
      adminPassword,
      { email: adminEmail ?? undefined, name: adminName },
      isCommonPassword,
    );
    if (problem)
      r.problem(`CRM_ADMIN_PASSWORD is refused: ${problem.replace(/^the password /, 'it ')}`);
  }
  return { adminEmail, adminPassword, adminName };
}

/**
 * CRM_TRUST_PROXY: `false` (the default: X-Forwarded-For is ignored), `true` (one reverse proxy in
 * front: the address it appended is the client's), a number of proxy hops, or a comma-separated list
 * of the proxies' addresses or subnets (or Express's names loopback, linklocal, uniquelocal).
 */
export function readTrustProxy(r: EnvReader): false | number | string[] {
  const raw = r.str('CRM_TRUST_PROXY');
  if (raw === undefined || /^(0|false|no|off)$/i.test(raw)) return false;
  if (/^(true|yes|on)$/i.test(raw)) return 1;
  if (/^\d+$/.test(raw)) {
    const hops = Number(raw);
    if (hops > 10)
      r.problem(
        `CRM_TRUST_PROXY must be true, false, a number of proxies from 0 to 10, or a list of proxy addresses (got "${raw}")`,
      );
    return Math.min(hops, 10);
  }
  const list = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const entry of list) {
    if (!isProxyEntry(entry))
      r.problem(
        `CRM_TRUST_PROXY entry "${entry}" is not an IP address, a subnet like 10.0.0.0/8, or loopback/linklocal/uniquelocal`,
      );
  }
  return list;
}

function isProxyEntry(entry: string): boolean {
  if (['loopback', 'linklocal', 'uniquelocal'].includes(entry)) return true;
  const [addr, bits, extra] = entry.split('/');
  const family = isIP(addr ?? '');
  const maskOk =
    bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (family === 6 ? 128 : 32));
  return family !== 0 && maskOk && extra === undefined;
}

import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, ROOT, SERVER_MAIN } from '../support/server-process';

interface Run {
  code: number | null;
  output: string;
  listening: boolean;
}

/** Runs the built server with only these CRM_ settings and waits for it to exit (or to start listening). */
async function run(env: Record<string, string>, dataDir: string): Promise<Run> {
  const port = await freePort();
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith('CRM_')),
  );
  const proc = spawn(process.execPath, [SERVER_MAIN], {
    env: { ...clean, CRM_DATA_DIR: dataDir, CRM_PORT: String(port), CRM_HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  proc.stdout.on('data', (d) => (output += d));
  proc.stderr.on('data', (d) => (output += d));
  let listening = false;
  const deadline = Date.now() + 20_000;
  while (proc.exitCode === null && Date.now() < deadline) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/api/health`);
      if (res.ok) {
        listening = true;
        break;
      }
    } catch {
      // not listening (yet)
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  if (proc.exitCode === null) {
    proc.kill('SIGTERM');
    await new Promise((r) => proc.once('exit', r));
  }
  return { code: proc.exitCode, output, listening };
}

describe('CRM_ENV=production refuses weak settings before listening', () => {
  let dir: string;
  beforeAll(() => {
    // `npm test` builds first; this keeps the spec right when Jest is run alone (an up-to-date build
    // is a no-op), as `npm run build:server` does.
    execFileSync(process.execPath, [join(ROOT, 'apps', 'api', 'scripts', 'build-server.js')], {
      stdio: 'inherit',
    });
  }, 180_000);
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'crm-prod-start-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const GOOD_SECRET = 'V5xQ8mT2kR7wN1zJ4pL9sD3fG6hB0cY2uE8aK';

  it.each([
    ['no secret at all', {}, 'CRM_SECRET_KEY is required in production', ''],
    ['an empty secret', { CRM_SECRET_KEY: '' }, 'CRM_SECRET_KEY is required in production', ''],
    [
      'a short secret',
      { CRM_SECRET_KEY: 'short-but-secret-value' },
      'CRM_SECRET_KEY must be at least 32 bytes long',
      'short-but-secret-value',
    ],
    [
      '"changeme"',
      { CRM_SECRET_KEY: 'changeme' },
      'CRM_SECRET_KEY must be at least 32 bytes long',
      'changeme',
    ],
    [
      'a long well-known default',
      { CRM_SECRET_KEY: 'changeme-changeme-changeme-changeme' },
      'CRM_SECRET_KEY is a well-known default',
      'changeme-changeme-changeme-changeme',
    ],
    [
      'CORS open to any origin',
      { CRM_SECRET_KEY: GOOD_SECRET, CRM_CORS_ORIGIN: '*' },
      'CRM_CORS_ORIGIN must list exact origins; "*" is not allowed',
      GOOD_SECRET,
    ],
    [
      'CORS open to null',
      { CRM_SECRET_KEY: GOOD_SECRET, CRM_CORS_ORIGIN: 'https://crm.example,null' },
      'CRM_CORS_ORIGIN must list exact origins; "null" is not allowed',
      GOOD_SECRET,
    ],
    [
      'CORS with a wildcard subdomain',
      { CRM_SECRET_KEY: GOOD_SECRET, CRM_CORS_ORIGIN: 'https://*.example.com' },
      'CRM_CORS_ORIGIN entry "https://*.example.com" has a wildcard; origins are matched exactly',
      GOOD_SECRET,
    ],
    [
      'a default admin password',
      {
        CRM_SECRET_KEY: GOOD_SECRET,
        CRM_ADMIN_EMAIL: 'admin@fund.example',
        CRM_ADMIN_PASSWORD: 'changeme',
      },
      'CRM_ADMIN_PASSWORD is refused',
      'changeme',
    ],
    [
      'a common admin password',
      {
        CRM_SECRET_KEY: GOOD_SECRET,
        CRM_ADMIN_EMAIL: 'admin@fund.example',
        CRM_ADMIN_PASSWORD: 'password1234',
      },
      'CRM_ADMIN_PASSWORD is refused: this password is one of the most common passwords',
      'password1234',
    ],
  ])(
    'exits non-zero with %s, naming the problem and printing no secret',
    async (_, env, problem, secret) => {
      const r = await run({ CRM_ENV: 'production', ...env }, dir);
      expect(r.listening).toBe(false);
      expect(r.code).not.toBe(0);
      expect(r.code).not.toBeNull();
      expect(r.output).toContain('Invalid configuration');
      expect(r.output).toContain(problem);
      expect(r.output).not.toMatch(/listening on/);
      if (secret) expect(r.output).not.toContain(secret);
    },
    30_000,
  );

  it('lists every problem at once', async () => {
    const r = await run(
      {
        CRM_ENV: 'production',
        CRM_SECRET_KEY: 'tiny-secret-abc',
        CRM_CORS_ORIGIN: '*',
        CRM_ADMIN_EMAIL: 'admin@fund.example',
        CRM_ADMIN_PASSWORD: 'admin123',
        CRM_PORT: 'eighty',
      },
      dir,
    );
    expect(r.code).toBe(1);
    expect(r.listening).toBe(false);
    const problems = r.output.split('\n').filter((l) => l.startsWith('  - '));
    expect(problems).toEqual([
      '  - CRM_PORT must be a whole number from 0 to 65535 (got "eighty")',
      '  - CRM_CORS_ORIGIN must list exact origins; "*" is not allowed',
      '  - CRM_SECRET_KEY must be at least 32 bytes long (e.g. `openssl rand -base64 48`)',
      '  - CRM_ADMIN_PASSWORD is refused: it must be at least 12 characters long',
    ]);
    expect(r.output).not.toContain('tiny-secret-abc');
    expect(r.output).not.toContain('admin123');
  }, 30_000);

  it('starts with good settings, without writing a key file, and prints no secret', async () => {
    const r = await run(
      {
        CRM_ENV: 'production',
        CRM_SECRET_KEY: GOOD_SECRET,
        CRM_CORS_ORIGIN: 'https://crm.example',
        CRM_ADMIN_EMAIL: 'admin@fund.example',
        CRM_ADMIN_PASSWORD: 'Granite-Orchard-Signal-5',
      },
      dir,
    );
    expect(r.listening).toBe(true);
    expect(r.output).toContain('listening on');
    expect(r.output).not.toContain(GOOD_SECRET);
    expect(r.output).not.toContain('Granite-Orchard-Signal-5');
    expect(r.output).not.toContain('/setup?token=');
    expect(existsSync(join(dir, 'secret.key'))).toBe(false);
  }, 30_000);

  it('prints the one-time first-admin link when there is no account and no bootstrap settings', async () => {
    const r = await run(
      {
        CRM_ENV: 'production',
        CRM_SECRET_KEY: GOOD_SECRET,
        CRM_PUBLIC_URL: 'https://crm.fund.example',
      },
      dir,
    );
    expect(r.listening).toBe(true);
    expect(r.output).toMatch(/FIRST ADMIN/);
    expect(r.output).toMatch(/^ {4}https:\/\/crm\.fund\.example\/setup\?token=[A-Za-z0-9_-]{43}$/m);
    expect(r.output).not.toContain(GOOD_SECRET);
  }, 30_000);
});

import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { reapOnExit } from './child-reaper';

export const ROOT = join(__dirname, '..', '..');
export const SERVER_MAIN = join(ROOT, 'apps', 'api', 'dist', 'main.js');
export const ADMIN = { email: 'admin@fund.example', password: 'Correct-Horse-Battery-9' };

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

export interface ServerProcess {
  url: string;
  proc: ChildProcess;
  output: () => string;
  /** Authorization header value for the seeded admin ('' when the server has no accounts). */
  auth: string;
  stop(): Promise<void>;
  kill9(): Promise<void>;
}

/**
 * Starts the built server (`npm test` builds it first) as a child process on a free port; `main`
 * is another entry that boots the same built server (a fault spec's, with a processor of its own).
 */
export async function startServer(
  dataDir: string,
  env: Record<string, string> = {},
  main = SERVER_MAIN,
): Promise<ServerProcess> {
  if (!existsSync(SERVER_MAIN))
    throw new Error(`${SERVER_MAIN} is missing: run \`npm run build\` (npm test does it first)`);
  const port = await freePort();
  let out = '';
  const proc = reapOnExit(
    spawn(process.execPath, [main], {
      env: {
        ...process.env,
        CRM_ENV: 'test',
        CRM_DATA_DIR: dataDir,
        CRM_PORT: String(port),
        CRM_HOST: '127.0.0.1',
        CRM_ADMIN_EMAIL: ADMIN.email,
        CRM_ADMIN_PASSWORD: ADMIN.password,
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (out += d));
  const url = `http://127.0.0.1:${port}`;
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`server exited with ${proc.exitCode}:\n${out}`);
    try {
      const res = await fetch(`${url}/api/health`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      proc.kill('SIGKILL');
      throw new Error(`server did not start within 30 s:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  let auth = '';
  const login = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(ADMIN),
  });
  if (login.ok) auth = `Bearer ${((await login.json()) as { access_token: string }).access_token}`;
  return {
    url,
    proc,
    auth,
    output: () => out,
    stop: async () => {
      if (proc.exitCode === null) proc.kill('SIGTERM');
      await exited;
    },
    kill9: async () => {
      if (proc.exitCode === null) proc.kill('SIGKILL');
      await exited;
    },
  };
}

/**
 * For a fault spec: a server on `<dir>/live` (no backup scheduler, no write limit), started before
 * the spec file's tests and stopped after them, its temporary directory removed. The tests put
 * their copies and restores in `dir`, beside the live data.
 */
export function liveServerSuite(
  prefix: string,
  timeoutMs: number,
): { readonly dir: string; readonly server: ServerProcess } {
  const suite = {} as { dir: string; server: ServerProcess };
  beforeAll(async () => {
    suite.dir = mkdtempSync(join(tmpdir(), prefix));
    suite.server = await startServer(join(suite.dir, 'live'), {
      CRM_BACKUP_SCHEDULER: 'off',
      CRM_RATE_LIMIT_WRITES_PER_MINUTE: '1000000',
    });
  }, timeoutMs);
  afterAll(async () => {
    await suite.server?.stop();
    if (suite.dir) rmSync(suite.dir, { recursive: true, force: true });
  }, timeoutMs);
  return suite;
}

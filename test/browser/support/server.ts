import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..', '..');
const MAIN = join(ROOT, 'apps', 'api', 'dist', 'main.js');
const WEB = join(ROOT, 'apps', 'web', 'dist', 'index.html');

export interface RunningServer {
  url: string;
  dataDir: string;
  /** The one-time first-admin link, when the server printed one. */
  setupLink: string | null;
  output(): string;
  /** Stops the process; `keepData` leaves the data directory for a restart on it. */
  stop(options?: { keepData?: boolean }): Promise<void>;
}

export const ADMIN = {
  email: 'admin@fund.example',
  password: 'orchard-lantern-velvet-42',
  name: 'Avery Admin',
};

/**
 * The real server as a child process (the built API serving the built web app) on a free port with a
 * fresh data directory. `npm test` builds both first.
 */
export async function startServer(
  options: { admin?: boolean; env?: Record<string, string>; dataDir?: string; port?: number } = {},
): Promise<RunningServer> {
  if (!existsSync(MAIN))
    throw new Error(`${MAIN} is missing: run \`npm run build\` first (npm test does)`);
  if (!existsSync(WEB))
    throw new Error(`${WEB} is missing: run \`npm run build\` first (npm test does)`);
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'crm-browser-'));
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    CRM_ENV: 'test',
    CRM_PORT: String(options.port ?? 0),
    CRM_HOST: '127.0.0.1',
    CRM_DATA_DIR: dataDir,
    CRM_HANDSONTABLE_LICENSE_KEY: 'non-commercial-and-evaluation',
    CRM_RATE_LIMIT_LOGIN_PER_MINUTE: '100',
    CRM_RATE_LIMIT_TOKEN_PER_MINUTE: '100',
    ...(options.admin
      ? {
          CRM_ADMIN_EMAIL: ADMIN.email,
          CRM_ADMIN_PASSWORD: ADMIN.password,
          CRM_ADMIN_NAME: ADMIN.name,
        }
      : {}),
    ...options.env,
  };
  const child: ChildProcess = spawn(process.execPath, [MAIN], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`server did not start in 30 s:\n${out}`)),
      30_000,
    );
    let seen = false;
    const check = () => {
      // eslint-disable-next-line no-control-regex
      const m = /listening on (http:\/\/[^\s\u001b]+)/.exec(out);
      if (!m || seen) return;
      seen = true;
      // The setup link (when there is no account yet) is printed right after this line.
      setTimeout(() => {
        clearTimeout(timer);
        resolveUrl(m[1]);
      }, 300);
    };
    child.stdout!.on('data', check);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${out}`));
    });
  });
  const link = /(http:\/\/\S+\/setup\?token=[A-Za-z0-9_-]+)/.exec(out);
  return {
    url,
    dataDir,
    setupLink: link ? link[1] : null,
    output: () => out,
    stop: async (stopOptions: { keepData?: boolean } = {}) => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([exited, new Promise((r) => (timer = setTimeout(r, 5000)))]);
        clearTimeout(timer);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      if (!stopOptions.keepData) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { reapOnExit } from '../../support/child-reaper';

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

const SETUP_LINK = /(http:\/\/\S+\/setup\?token=[A-Za-z0-9_-]+)/;

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
  const child: ChildProcess = reapOnExit(
    spawn(process.execPath, [MAIN], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  /** Resolves with the first match of `pattern` in the server's output; fails if it exits first. */
  const printed = (pattern: RegExp, what: string) =>
    new Promise<RegExpExecArray>((found, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`server did not print ${what} in 30 s:\n${out}`)),
        30_000,
      );
      const done = () => {
        clearTimeout(timer);
        child.stdout!.off('data', check);
        child.off('exit', exited);
      };
      const check = () => {
        const m = pattern.exec(out);
        if (!m) return;
        done();
        found(m);
      };
      const exited = (code: number | null) => {
        done();
        reject(new Error(`server exited with ${code}:\n${out}`));
      };
      child.stdout!.on('data', check);
      child.on('exit', exited);
      check();
    });
  // eslint-disable-next-line no-control-regex
  const url = (await printed(/listening on (http:\/\/[^\s\u001b]+)/, 'its address'))[1];
  // With no account yet, the one-time setup link is printed right after that line.
  const status = await fetch(`${url}/api/auth/setup-status`);
  if (((await status.json()) as { needs_setup: boolean }).needs_setup)
    await printed(SETUP_LINK, 'the setup link');
  const link = SETUP_LINK.exec(out);
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

import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, SERVER_MAIN } from '../support/server-process';

/** Each test mounts a filesystem and starts the server. */
jest.setTimeout(60_000);

/**
 * A data volume the server cannot write: mounted read-only, or full. The server must exit non-zero
 * with the directory and the reason, and no stack trace. Mounting needs root: without it this test
 * fails with the reason (it never skips).
 */
function mount(args: string[]): void {
  try {
    execFileSync('mount', args, { stdio: 'pipe' });
  } catch (e) {
    const err = e as { stderr?: Buffer; message: string };
    throw new Error(
      `the data-volume test needs to mount a small filesystem: \`mount ${args.join(' ')}\` failed (${(err.stderr?.toString() || err.message).trim()}). ` +
        'Run the fault suite as root (or in a container with CAP_SYS_ADMIN).',
      { cause: e },
    );
  }
}

/** Runs the built server on `dataDir` until it exits (or 20 s pass). */
async function startOn(dataDir: string): Promise<{ code: number | null; output: string }> {
  const port = await freePort();
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith('CRM_')),
  );
  const proc = spawn(process.execPath, [SERVER_MAIN], {
    env: { ...clean, CRM_DATA_DIR: dataDir, CRM_PORT: String(port), CRM_HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  proc.stdout.on('data', (d) => (output += d));
  proc.stderr.on('data', (d) => (output += d));
  const timer = setTimeout(() => proc.kill('SIGKILL'), 20_000);
  const code = await new Promise<number | null>((resolve) => proc.once('exit', resolve));
  clearTimeout(timer);
  return { code, output };
}

const STACK_LINE = /\n\s+at .+:\d+:\d+\)?/;

describe('a data volume the server cannot write', () => {
  let root: string;
  let at: string;
  let mounted = false;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'crm-volume-'));
    at = join(root, 'data');
    mkdirSync(at);
  });
  afterEach(() => {
    if (mounted) execFileSync('umount', [at]);
    mounted = false;
    rmSync(root, { recursive: true, force: true });
  });

  it('given a read-only volume, when the server starts, then it exits with the path and "read-only", no stack trace', async () => {
    mount(['-t', 'tmpfs', '-o', 'size=4m,ro', 'tmpfs', at]);
    mounted = true;

    const { code, output } = await startOn(at);

    expect(code).toBe(1);
    expect(output).toContain(`cannot start: cannot write to the data directory ${at}`);
    expect(output).toContain('the volume is mounted read-only (EROFS)');
    expect(output).not.toMatch(STACK_LINE);
  });

  it('given a full volume, when the server starts, then it exits with the path and "full", no stack trace', async () => {
    mount(['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', at]);
    mounted = true;
    // Fill it: tmpfs refuses the write that does not fit.
    try {
      writeFileSync(join(at, 'filler'), Buffer.alloc(2 * 1024 * 1024));
    } catch (e) {
      expect((e as NodeJS.ErrnoException).code).toBe('ENOSPC');
    }

    const { code, output } = await startOn(at);

    expect(code).toBe(1);
    expect(output).toContain(`cannot start: cannot write to the data directory ${at}`);
    expect(output).toContain('the volume is full (ENOSPC)');
    expect(output).not.toMatch(STACK_LINE);
  });
});

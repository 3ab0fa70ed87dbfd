import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { getPriority, tmpdir } from 'node:os';
import { dirname, join, sep } from 'node:path';
import { DomainError } from '@crm/domain';
import { movable, runInWorker, ServedWorker, workerEntry } from './worker-thread';

/** The entries load the built code: run after `npm run build`, as the API specs are. */
describe('worker threads', () => {
  const built = workerEntry(__dirname, 'worker-thread');
  let dir: string;
  let entry: string;
  let served: string;
  let sums: string;
  let niceness: string;
  let bytes: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'crm-worker-'));
    served = join(dir, 'count.worker.js');
    writeFileSync(
      served,
      `const { DomainError } = require(require.resolve('@crm/domain', { paths: [${JSON.stringify(dirname(built))}] }));
      require(${JSON.stringify(built)}).serveInWorker(({ start }) => {
        let total = start;
        return (n, progress) => {
          if (n < 0) throw new DomainError('conflict', 'no negatives', { field: 'n' }, 'stale_plan');
          progress(total);
          return (total += n);
        };
      }, 'request');`,
    );
    sums = join(dir, 'sum.worker.js');
    writeFileSync(
      sums,
      `require(${JSON.stringify(built)}).serveInWorker(() => (bytes) => bytes.reduce((a, b) => a + b, 0), 'request');`,
    );
    niceness = join(dir, 'niceness.worker.js');
    writeFileSync(
      niceness,
      `require(${JSON.stringify(built)}).answerInWorker(() => require('node:os').getPriority(), 'background');`,
    );
    bytes = join(dir, 'bytes.worker.js');
    writeFileSync(
      bytes,
      `const w = require(${JSON.stringify(built)});
      w.answerInWorker((n) => {
        const data = Buffer.alloc(n, 7);
        return { data };
      }, 'background', (v) => w.movable(v.data));`,
    );
    entry = join(dir, 'double.worker.js');
    writeFileSync(
      entry,
      `require(${JSON.stringify(built)}).answerInWorker((n) => {
        if (n === -2) throw Object.assign(new Error('locked'), { code: 'SQLITE_BUSY' });
        if (n < 0) throw new Error('a negative number: ' + n);
        if (n === 0) process.exit(3);
        return n * 2;
      }, 'background');`,
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('given a caller under src, then its entry is the built twin under dist', () => {
    expect(
      workerEntry(join(sep, 'app', 'apps', 'api', 'src', 'capabilities', 'history'), 'x'),
    ).toBe(join(sep, 'app', 'apps', 'api', 'dist', 'capabilities', 'history', 'x.js'));
    expect(built).toBe(
      join(__dirname, '..', '..', '..', 'dist', 'infrastructure', 'workers', 'worker-thread.js'),
    );
  });

  it('given an input, when the worker answers, then the answer comes back', async () => {
    await expect(runInWorker<number>(entry, 21)).resolves.toBe(42);
  });

  it('given an input the work refuses, then the error comes back with its message', async () => {
    await expect(runInWorker<number>(entry, -1)).rejects.toThrow('a negative number: -1');
  });

  it('given a failure with a code, then the code comes back too (a busy database stays busy)', async () => {
    await expect(runInWorker<number>(entry, -2)).rejects.toMatchObject({
      message: 'locked',
      code: 'SQLITE_BUSY',
    });
  });

  it('given a worker that stops without answering, then the call fails and says so', async () => {
    await expect(runInWorker<number>(entry, 0)).rejects.toThrow('exit 3');
  });

  it('given background work, then its thread yields the processor and the server thread keeps its priority', async () => {
    const server = getPriority();
    // Linux sets a niceness per thread; elsewhere the call would lower the whole process, so it is not made.
    const expected = process.platform === 'linux' ? 19 : server;
    await expect(runInWorker<number>(niceness, null)).resolves.toBe(expected);
    expect(getPriority()).toBe(server);
  });

  it('given an answer whose buffer is named to move, then it arrives whole', async () => {
    const answer = await runInWorker<{ data: Uint8Array }>(bytes, 256 * 1024);
    expect(answer.data.byteLength).toBe(256 * 1024);
    expect(answer.data.every((b) => b === 7)).toBe(true);
  });

  it('given a served worker, then it answers requests in order, keeping what it holds between them', async () => {
    const worker = new ServedWorker(served, { start: 100 });
    const seen: unknown[] = [];
    try {
      const answers = await Promise.all([
        worker.call<number>(1, (p) => seen.push(p)),
        worker.call<number>(2),
        worker.call<number>(3, (p) => seen.push(p)),
      ]);
      expect(answers).toEqual([101, 103, 106]);
      expect(seen).toEqual([100, 103]);
    } finally {
      await worker.close();
    }
  });

  it('given a served worker refusing with a DomainError, then it comes back as one, with its details and reason', async () => {
    const worker = new ServedWorker(served, { start: 0 });
    try {
      const refused = await worker.call<number>(-1).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(DomainError);
      expect(refused).toMatchObject({
        code: 'conflict',
        message: 'no negatives',
        details: { field: 'n' },
        reason: 'stale_plan',
      });
      // The worker goes on serving after a refusal.
      await expect(worker.call<number>(5)).resolves.toBe(5);
    } finally {
      await worker.close();
    }
  });

  it('given an upload that owns its buffer, when it is sent, then it is moved, not copied', async () => {
    const worker = new ServedWorker(sums, {});
    try {
      const upload = Buffer.concat([Buffer.alloc(64 * 1024, 1)]);
      const moved = movable(upload);
      expect(moved).toEqual([upload.buffer]);
      await expect(worker.call<number>(upload, undefined, moved)).resolves.toBe(64 * 1024);
      expect(upload.byteLength).toBe(0);
    } finally {
      await worker.close();
    }
  });

  it('given bytes that share a pooled buffer, when they are sent, then they are copied and stay usable', async () => {
    const worker = new ServedWorker(sums, {});
    try {
      const small = Buffer.from([1, 2, 3]);
      expect(movable(small)).toEqual([]);
      await expect(worker.call<number>(small, undefined, movable(small))).resolves.toBe(6);
      expect([...small]).toEqual([1, 2, 3]);
    } finally {
      await worker.close();
    }
  });
});

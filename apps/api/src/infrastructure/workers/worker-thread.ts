import { getPriority, setPriority } from 'node:os';
import { sep } from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { DomainError } from '@crm/domain';
import { HttpException } from '@nestjs/common';

/**
 * Heavy work that must not stop the server answering (a snapshot build, a backup's replay) runs in a
 * worker thread with its own event loop and, where it reads the base, its own read-only connection.
 */

/**
 * A failure crosses as its message and its code (SQLITE_BUSY stays recognisable as busy); a
 * DomainError also with its details and reason, an HTTP error with its status and body, so that
 * each is answered as it would have been on the server's thread.
 */
type Failure = {
  ok: false;
  error: string;
  code?: string;
  domain?: { details: Record<string, unknown>; reason: DomainError['reason'] };
  http?: { status: number; body: string | object };
};
type Answer<T> = { ok: true; value: T } | Failure;

function failureOf(e: unknown): Failure {
  const code = (e as { code?: unknown } | null)?.code;
  return {
    ok: false,
    error: e instanceof Error ? e.message : String(e),
    ...(typeof code === 'string' ? { code } : {}),
    ...(e instanceof DomainError ? { domain: { details: e.details, reason: e.reason } } : {}),
    ...(e instanceof HttpException
      ? { http: { status: e.getStatus(), body: e.getResponse() } }
      : {}),
  };
}

function errorOf(f: Failure): Error {
  if (f.domain)
    return new DomainError(
      f.code as DomainError['code'],
      f.error,
      f.domain.details,
      f.domain.reason,
    );
  if (f.http) return new HttpException(f.http.body, f.http.status);
  return Object.assign(new Error(f.error), f.code ? { code: f.code } : {});
}

/**
 * The JavaScript file of a worker entry beside the caller. Threads load built code: the server runs
 * from dist, and the tests, which compile TypeScript on the fly, load the same build (`npm run
 * build`), so a caller under src/ is pointed at its twin under dist/.
 */
export function workerEntry(callerDir: string, name: string): string {
  const marker = `${sep}src${sep}`;
  const at = `${callerDir}${sep}`.lastIndexOf(marker);
  const dir =
    __filename.endsWith('.ts') && at >= 0
      ? `${callerDir.slice(0, at)}${sep}dist${sep}${callerDir.slice(at + marker.length)}`
      : callerDir;
  return `${dir}${sep}${name}.js`;
}

/** Runs a worker entry on one input and settles with its one answer (or its error). */
export function runInWorker<T>(entry: string, input: unknown): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const worker = new Worker(entry, { workerData: input });
    let settled = false;
    worker.once('message', (answer: Answer<T>) => {
      settled = true;
      if (answer.ok) resolve(answer.value);
      else reject(errorOf(answer));
    });
    worker.once('error', (e) => {
      settled = true;
      reject(e);
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`the worker stopped before answering (exit ${code})`));
    });
  });
}

/**
 * What a worker thread yields when the processor is contended. `background`: work nobody waits for
 * (a snapshot, a backup's verification) takes only what the server's thread and everyone else
 * leave; on two cores under the edit load, a build at equal priority competed with the server's
 * thread and the clients. `request`: work a person waits for (an import's plan, a view as of a
 * moment) keeps the server's priority: a lower one yields to every other process of the machine
 * too, and planning an upload beside a busy neighbour took several times as long.
 */
export type WorkerPriority = 'background' | 'request';
const NICENESS: Record<WorkerPriority, number> = { background: 19, request: 0 };

/**
 * Lowers the calling worker thread's priority. Linux gives each thread its own niceness (setting it
 * for "this process" from a thread sets it for that thread); elsewhere it would lower the whole
 * server, so there it is left as it is. A refusal (a sandbox without the call) changes nothing.
 */
export function yieldProcessor(priority: WorkerPriority): void {
  if (isMainThread || process.platform !== 'linux') return;
  // Only ever lowered: a thread never takes more than the process it belongs to.
  if (NICENESS[priority] <= getPriority()) return;
  try {
    setPriority(NICENESS[priority]);
  } catch {
    // Running at the server's priority is slower for the server, never wrong.
  }
}

/**
 * The body of a worker entry: computes its answer from the input runInWorker gave it. `transfer`
 * names the answer's buffers to move rather than copy (see `movable`): a snapshot of several
 * megabytes copied into the server's thread held it for milliseconds.
 */
export function answerInWorker<I, T>(
  work: (input: I) => T | Promise<T>,
  priority: WorkerPriority,
  transfer: (value: T) => ArrayBuffer[] = () => [],
): void {
  if (isMainThread || !parentPort) throw new Error('a worker entry runs only in a worker thread');
  yieldProcessor(priority);
  const port = parentPort;
  void Promise.resolve()
    .then(() => work(workerData as I))
    .then(
      (value) => port.postMessage({ ok: true, value } satisfies Answer<T>, transfer(value)),
      (e: unknown) => port.postMessage(failureOf(e) satisfies Answer<T>),
    );
}

/** A request to a served worker, and what it sends back while working on it and at the end. */
type Served<T> = ({ id: number } & Answer<T>) | { id: number; progress: unknown; ok?: undefined };

interface Call {
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
  progress?: (p: unknown) => void;
}

/**
 * The buffer under `bytes` when it holds nothing else, so that it can be moved to a thread: copying
 * an upload of 20 MB held the server's thread for 25 ms. A slice of a shared pool is copied instead.
 */
export function movable(bytes: Uint8Array): ArrayBuffer[] {
  const buffer = bytes.buffer;
  const whole = bytes.byteOffset === 0 && bytes.byteLength === buffer.byteLength;
  return whole && buffer instanceof ArrayBuffer ? [buffer] : [];
}

/**
 * A worker thread kept for many requests, answered one at a time in the order sent, so that it may
 * keep what it computed (parsed files, plans) between them. Started on the first request; stopped
 * after `idleMs` without one (what it kept goes with it) or by `close`. Should it die, the requests
 * in hand fail and the next starts a new one.
 */
export class ServedWorker {
  private running: { worker: Worker; calls: Map<number, Call> } | null = null;
  private serial = 0;
  private idle: NodeJS.Timeout | null = null;

  constructor(
    private readonly entry: string,
    private readonly input: unknown,
    private readonly idleMs = 60_000,
  ) {}

  /** `transfer`: buffers of the request moved to the thread rather than copied (see `movable`). */
  call<T>(request: unknown, progress?: (p: unknown) => void, transfer?: ArrayBuffer[]): Promise<T> {
    const run = this.started();
    const id = ++this.serial;
    if (this.idle) clearTimeout(this.idle);
    this.idle = null;
    // A request in hand keeps the process alive, as any other pending work does.
    run.worker.ref();
    return new Promise<T>((resolve, reject) => {
      run.calls.set(id, { resolve: resolve as (v: unknown) => void, reject, progress });
      run.worker.postMessage({ id, request }, transfer);
    });
  }

  async close(): Promise<void> {
    const run = this.running;
    this.running = null;
    if (this.idle) clearTimeout(this.idle);
    this.idle = null;
    if (!run) return;
    await run.worker.terminate();
    failAll(run.calls, new Error('the worker was stopped'));
  }

  private started() {
    if (this.running) return this.running;
    const worker = new Worker(this.entry, { workerData: this.input });
    const run = { worker, calls: new Map<number, Call>() };
    const gone = (error: unknown) => {
      if (this.running === run) this.running = null;
      failAll(run.calls, error);
    };
    worker.on('message', (m: Served<unknown>) => this.received(run, m));
    worker.once('error', gone);
    worker.once('exit', (code) =>
      gone(new Error(`the worker stopped before answering (exit ${code})`)),
    );
    // It never keeps the process alive on its own: it holds only what it can compute again. (After
    // the listeners: adding a 'message' listener refs the worker again.)
    worker.unref();
    this.running = run;
    return run;
  }

  private received(run: { worker: Worker; calls: Map<number, Call> }, m: Served<unknown>): void {
    const call = run.calls.get(m.id);
    if (!call) return;
    if (m.ok === undefined) return call.progress?.(m.progress);
    run.calls.delete(m.id);
    if (m.ok) call.resolve(m.value);
    else call.reject(errorOf(m));
    if (run.calls.size === 0 && this.running === run) {
      run.worker.unref();
      this.idle = setTimeout(() => void this.close(), this.idleMs);
      this.idle.unref();
    }
  }
}

function failAll(calls: Map<number, Call>, error: unknown): void {
  for (const call of calls.values()) call.reject(error);
  calls.clear();
}

/** The body of a served worker: answers each request in turn; `progress` reports on the one in hand. */
export function serveInWorker<I>(
  open: (input: I) => (request: unknown, progress: (p: unknown) => void) => unknown,
  priority: WorkerPriority,
): void {
  if (isMainThread || !parentPort) throw new Error('a worker entry runs only in a worker thread');
  yieldProcessor(priority);
  const port = parentPort;
  const handle = open(workerData as I);
  let queue = Promise.resolve();
  port.on('message', ({ id, request }: { id: number; request: unknown }) => {
    queue = queue
      .then(() => handle(request, (progress) => port.postMessage({ id, progress })))
      .then(
        (value) => port.postMessage({ id, ok: true, value }),
        (e: unknown) => port.postMessage({ id, ...failureOf(e) }),
      );
  });
}

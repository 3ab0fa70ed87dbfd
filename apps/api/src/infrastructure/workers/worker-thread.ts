import { sep } from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

/**
 * Heavy work that must not stop the server answering (a snapshot build, a backup's replay) runs in a
 * worker thread with its own event loop and, where it reads the base, its own read-only connection.
 */

/** A failure crosses as its message and its code (SQLITE_BUSY stays recognisable as busy). */
type Answer<T> = { ok: true; value: T } | { ok: false; error: string; code?: string };

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
      else reject(Object.assign(new Error(answer.error), answer.code ? { code: answer.code } : {}));
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

/** The body of a worker entry: computes its answer from the input runInWorker gave it. */
export function answerInWorker<I, T>(work: (input: I) => T | Promise<T>): void {
  if (isMainThread || !parentPort) throw new Error('a worker entry runs only in a worker thread');
  const port = parentPort;
  void Promise.resolve()
    .then(() => work(workerData as I))
    .then(
      (value) => port.postMessage({ ok: true, value } satisfies Answer<T>),
      (e: unknown) => {
        const code = (e as { code?: unknown } | null)?.code;
        port.postMessage({
          ok: false,
          error: e instanceof Error ? e.message : String(e),
          ...(typeof code === 'string' ? { code } : {}),
        } satisfies Answer<T>);
      },
    );
}

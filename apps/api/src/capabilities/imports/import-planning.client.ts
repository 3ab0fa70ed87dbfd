import { type ImportProgress } from '@crm/domain';
import { ServedWorker, workerEntry } from '../../infrastructure/workers/worker-thread';
import type { BaseAccess } from './base-access';
import { ImportPlanning, type PlanningRequest } from './import-planning';
import { type ImportsRepository } from './imports.repository';

/** How the server asks for an import's parsing and planning: answered in a worker thread. */
export interface PlanningClient {
  /** `transfer`: buffers of the request moved to the thread rather than copied (unusable here after). */
  request<T>(
    r: PlanningRequest,
    progress?: (p: ImportProgress) => void,
    transfer?: ArrayBuffer[],
  ): Promise<T>;
  close(): Promise<void>;
}

/**
 * Planning in a worker thread on its own connection; on the server's own thread only for an
 * in-memory base, which no other connection can open.
 */
export function planningClient(base: BaseAccess, repo: ImportsRepository): PlanningClient {
  if (base.db.memory) {
    const planning = new ImportPlanning(base, repo);
    return {
      request: async <T>(r: PlanningRequest, progress?: (p: ImportProgress) => void) =>
        (await planning.handle(r, (p) => progress?.(p))) as T,
      close: () => Promise.resolve(),
    };
  }
  const worker = new ServedWorker(workerEntry(__dirname, 'import-planning.worker'), {
    file: base.db.name,
  });
  return {
    request: <T>(
      r: PlanningRequest,
      progress?: (p: ImportProgress) => void,
      transfer?: ArrayBuffer[],
    ) => worker.call<T>(r, progress as ((p: unknown) => void) | undefined, transfer),
    close: () => worker.close(),
  };
}

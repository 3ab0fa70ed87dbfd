import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Core, openCore } from './core-handles';

export type TempCore = Core & { dispose(): Promise<void> };

/** The core on a fresh SQLite file (real migrations) in a temporary directory; `dispose` closes it and removes the directory. */
export async function openTempCore(
  prefix: string,
  options: Omit<Parameters<typeof openCore>[0], 'databaseFile'> = {},
): Promise<TempCore> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const core = await openCore({ ...options, databaseFile: join(dir, 'crm.sqlite') });
  return Object.assign(core, {
    dispose: async () => {
      await core.close();
      rmSync(dir, { recursive: true, force: true });
    },
  });
}

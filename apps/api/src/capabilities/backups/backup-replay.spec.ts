import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scratchDirFor } from './backup-replay';

describe('where a backup replay puts its scratch copy', () => {
  let roomy: string;
  let fallback: string;
  beforeAll(() => {
    roomy = mkdtempSync(join(tmpdir(), 'crm-scratch-roomy-'));
    fallback = mkdtempSync(join(tmpdir(), 'crm-scratch-fallback-'));
  });
  afterAll(() => {
    rmSync(roomy, { recursive: true, force: true });
    rmSync(fallback, { recursive: true, force: true });
  });

  it('given a file system in memory with room, then the copy goes there, and nothing is left behind by asking', async () => {
    await expect(scratchDirFor(1024, [roomy], fallback)).resolves.toBe(roomy);
    expect(readdirSync(roomy)).toEqual([]);
  });

  it('given one without room for the copy, its replay and its WAL, then the copy goes to the fallback', async () => {
    await expect(scratchDirFor(Number.MAX_SAFE_INTEGER / 4, [roomy], fallback)).resolves.toBe(
      fallback,
    );
  });

  it('given one that is not there, then the next is tried, then the fallback', async () => {
    const missing = join(roomy, 'no-such-dir');
    await expect(scratchDirFor(1024, [missing, roomy], fallback)).resolves.toBe(roomy);
    await expect(scratchDirFor(1024, [missing], fallback)).resolves.toBe(fallback);
  });
});

import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const GENERATOR = join(__dirname, '..', '..', 'apps', 'api', 'scripts', 'openapi-metadata.js');

describe('the OpenAPI metadata read from the DTOs and controllers', () => {
  it('is up to date: regenerating it from the sources gives the committed file', () => {
    // A process of its own: the generator runs the TypeScript compiler and Prettier (ESM inside).
    const run = spawnSync(process.execPath, [GENERATOR, '--check'], { encoding: 'utf8' });
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
  }, 60_000);
});

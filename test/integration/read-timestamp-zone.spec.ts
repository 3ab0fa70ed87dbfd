import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const SERVICE = join(__dirname, '../../apps/api/dist/capabilities/history/as-of.service.js');

/** The built server's reading of a query's moment, in a process whose machine runs in `zone`. */
function readIn(zone: string, given: string): string {
  const script = `const { readTimestamp } = require(${JSON.stringify(SERVICE)});
process.stdout.write(new Date(readTimestamp(${JSON.stringify(given)}, 'as_of')).toISOString());`;
  return execFileSync(process.execPath, ['-e', script], {
    env: { PATH: process.env.PATH, TZ: zone },
  }).toString();
}

/**
 * A moment in a query (as_of, from, to) is UTC unless it names its offset, as the API says,
 * whatever zone the server's machine runs in.
 */
describe('a moment in a query on a server outside UTC', () => {
  it.each([
    ['2026-09-30', '2026-09-30T00:00:00.000Z'],
    ['2026-09-30T18:00', '2026-09-30T18:00:00.000Z'],
    ['2026-09-30T18:00:00', '2026-09-30T18:00:00.000Z'],
    ['2026-09-30T18:00:00.250', '2026-09-30T18:00:00.250Z'],
    ['2026-09-30T18:00:00Z', '2026-09-30T18:00:00.000Z'],
    ['2026-09-30T18:00:00+02:00', '2026-09-30T16:00:00.000Z'],
  ])('reads %s as %s in Tokyo', (given, at) => {
    expect(readIn('Asia/Tokyo', given)).toBe(at);
  });
});

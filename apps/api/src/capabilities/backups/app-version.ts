import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The API package's version, read once (src/ and dist/ sit at the same depth, so the path holds for both). */
export const APP_VERSION: string = (() => {
  try {
    return (
      JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as {
        version: string;
      }
    ).version;
  } catch {
    return 'unknown';
  }
})();

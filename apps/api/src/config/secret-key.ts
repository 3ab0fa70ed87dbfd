import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  linkSync,
  mkdirSync,
  readFileSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { type AppConfig } from './app-config';

export const SECRET_KEY_FILE = 'secret.key';

/**
 * Outside production, with no CRM_SECRET_KEY, a random key is made once and kept in the data
 * directory (mode 0600), so that sign-ins survive restarts. Production never gets here: the config
 * refuses to load without CRM_SECRET_KEY.
 */
export function withSecretKey(config: AppConfig): AppConfig {
  // A data directory made here is private to the server's user: it holds the database and the key.
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  if (config.secretKey) return config;
  if (config.env === 'production') throw new Error('CRM_SECRET_KEY is required in production');
  const file = join(config.dataDir, SECRET_KEY_FILE);
  // Written whole under a temporary name, then linked into place: when two processes start together,
  // one link wins and both read the same complete key.
  if (!existsSync(file)) {
    const tmp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}`;
    writeFileSync(tmp, `${randomBytes(48).toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
    try {
      linkSync(tmp, file);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    } finally {
      unlinkSync(tmp);
    }
  }
  if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
  const key = readFileSync(file, 'utf8').trim();
  if (Buffer.byteLength(key) < 32)
    throw new Error(`${file} holds a key shorter than 32 bytes; delete it to have a new one made`);
  return { ...config, secretKey: key, secretKeySource: 'data-dir' };
}

import { randomBytes } from 'node:crypto';
import { orderedIdGenerator } from '@crm/domain';

export const CLOCK = Symbol('CLOCK');

/** Time and ids enter commands from here, never from inside the domain. */
export interface Clock {
  now(): string;
}

export const systemClock: Clock = { now: () => new Date().toISOString() };

/**
 * Cryptographic random bytes drawn from a pool refilled 8 KB at a time: one call into OpenSSL per
 * few hundred ids instead of one per id (the same pooling Node's randomUUID does). Bytes are never
 * handed out twice.
 */
const POOL_SIZE = 8192;
let pool = Buffer.alloc(0);
let poolOffset = 0;
function randomByte(): number {
  if (poolOffset >= pool.length) {
    pool = randomBytes(POOL_SIZE);
    poolOffset = 0;
  }
  return pool[poolOffset++];
}

/**
 * `rec` + 14 base-62 characters, like Airtable's ids, in creation order (see orderedIdGenerator:
 * new rows land at the right edge of the indexes keyed by id).
 */
export const newId: (prefix: string) => string = orderedIdGenerator(Date.now, randomByte);

let lastMs = 0;
let seq = 0;

/**
 * UUID version 7 (RFC 9562): a millisecond timestamp, then a counter and random bits. Time-ordered
 * ids land at the right edge of the event_id index instead of at random pages of it.
 */
export function newEventId(): string {
  const ms = Date.now();
  seq = ms === lastMs ? (seq + 1) & 0xfff : 0;
  lastMs = ms;
  const b = Buffer.allocUnsafe(16);
  for (let i = 6; i < 16; i++) b[i] = randomByte();
  b.writeUIntBE(ms, 0, 6);
  b[6] = 0x70 | (seq >> 8);
  b[7] = seq & 0xff;
  b[8] = 0x80 | (b[8] & 0x3f);
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

import * as crypto from 'node:crypto';
import { createHash } from 'node:crypto';
import { type RecordedEvent } from '@crm/events';

export const GENESIS_HASH = '0'.repeat(64);

type Hashable = Omit<RecordedEvent, 'hash'>;

/** The chain link: SHA-256 over the previous hash and this event's stored content. */
export function chainHash(previousHash: string, e: Hashable): string {
  return chainHashOfStored(
    previousHash,
    e.position,
    e.event_id,
    e.stream_id,
    e.stream_version,
    e.type,
    e.schema_version,
    JSON.stringify(e.data),
    JSON.stringify(e.metadata),
    e.recorded_at,
  );
}

/** Same as chainHash, on the serialised columns as stored (no JSON round trip). */
export function chainHashOfStored(
  previousHash: string,
  position: number,
  eventId: string,
  streamId: string,
  streamVersion: number,
  type: string,
  schemaVersion: number,
  dataJson: string,
  metadataJson: string,
  recordedAt: string,
): string {
  // One string, one call: the pieces meet at ASCII separators, so its UTF-8 bytes are the pieces' bytes in a row.
  return sha256Hex(
    `${previousHash}\n${position}\u0000${eventId}\u0000${streamId}\u0000${streamVersion}\u0000${type}\u0000${schemaVersion}\u0000${recordedAt}\u0000${dataJson}\u0000${metadataJson}`,
  );
}

/** crypto.hash (Node 20.12+) hashes a string in one call into OpenSSL; older Nodes take the streaming API. */
const oneShot = (crypto as { hash?: (algorithm: string, data: string, encoding: 'hex') => string })
  .hash;
const sha256Hex = oneShot
  ? (s: string) => oneShot('sha256', s, 'hex')
  : (s: string) => createHash('sha256').update(s).digest('hex');

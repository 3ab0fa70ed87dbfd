import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { chainHashOfStored, GENESIS_HASH } from './hash-chain';

/** The link as the first stored events were hashed: the same pieces fed to the hash one by one. */
function pieceByPiece(
  prev: string,
  position: number,
  eventId: string,
  streamId: string,
  version: number,
  type: string,
  schemaVersion: number,
  data: string,
  metadata: string,
  at: string,
): string {
  return createHash('sha256')
    .update(prev)
    .update('\n')
    .update(
      `${position}\u0000${eventId}\u0000${streamId}\u0000${version}\u0000${type}\u0000${schemaVersion}\u0000${at}\u0000`,
    )
    .update(data)
    .update('\u0000')
    .update(metadata)
    .digest('hex');
}

// Any UTF-16 unit, lone surrogates included: the bytes hashed must not depend on where the pieces meet.
const anyText = fc.string({
  unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
  maxLength: 40,
});

describe('chainHashOfStored', () => {
  it('gives the hash of the pieces fed one by one, so links stored earlier still verify', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(GENESIS_HASH, 'ab'.repeat(32)),
        fc.nat(),
        anyText,
        anyText,
        fc.integer({ min: 1, max: 1e6 }),
        anyText,
        fc.integer({ min: 1, max: 9 }),
        anyText,
        anyText,
        anyText,
        (prev, position, eventId, streamId, version, type, schemaVersion, data, metadata, at) => {
          expect(
            chainHashOfStored(
              prev,
              position,
              eventId,
              streamId,
              version,
              type,
              schemaVersion,
              data,
              metadata,
              at,
            ),
          ).toBe(
            pieceByPiece(
              prev,
              position,
              eventId,
              streamId,
              version,
              type,
              schemaVersion,
              data,
              metadata,
              at,
            ),
          );
        },
      ),
      { numRuns: 500 },
    );
  });

  it('changes when any byte of the event changes', () => {
    const base = chainHashOfStored(
      GENESIS_HASH,
      1,
      'e1',
      'record-r',
      1,
      'RecordCreated',
      1,
      '{"a":1}',
      '{"actor_id":"u"}',
      '2026-01-01T00:00:00.000Z',
    );
    expect(
      chainHashOfStored(
        GENESIS_HASH,
        1,
        'e1',
        'record-r',
        1,
        'RecordCreated',
        1,
        '{"a":2}',
        '{"actor_id":"u"}',
        '2026-01-01T00:00:00.000Z',
      ),
    ).not.toBe(base);
    expect(
      chainHashOfStored(
        GENESIS_HASH,
        1,
        'e1',
        'record-r',
        1,
        'RecordCreated',
        1,
        '{"a":1}',
        '{"actor_id":"v"}',
        '2026-01-01T00:00:00.000Z',
      ),
    ).not.toBe(base);
  });
});

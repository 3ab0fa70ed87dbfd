import { createHash } from 'node:crypto';
import { eventStoreContract } from '../../../test/contract/event-store.contract';
import { type ChainHasher, InMemoryEventStore } from './in-memory-event-store';

/** A deterministic SHA-256 link over the previous hash and the event, like the server's chain. */
const sha256Chain: ChainHasher = (previousHash, event) =>
  createHash('sha256')
    .update(previousHash)
    .update('\n')
    .update(JSON.stringify(event))
    .digest('hex');

eventStoreContract('in-memory', () => ({ store: new InMemoryEventStore(sha256Chain) }));

describe('InMemoryEventStore', () => {
  it('chains from a genesis hash of 64 zeros', async () => {
    const seen: string[] = [];
    const store = new InMemoryEventStore((prev, e) => {
      seen.push(prev);
      return `h${e.position}`;
    });
    await store.append(
      [
        {
          stream_id: 's',
          expected_version: 0,
          events: [
            { type: 'A', data: {} },
            { type: 'B', data: {} },
          ],
        },
      ],
      {
        metadata: { actor_id: 'usr_1', correlation_id: 'cor_1', source: 'api' },
        recorded_at: '2026-01-01T00:00:00.000Z',
        event_ids: ['e1', 'e2'],
      },
    );
    expect(seen).toEqual(['0'.repeat(64), 'h1']);
    expect((await store.readAll()).map((e) => e.hash)).toEqual(['h1', 'h2']);
  });
});

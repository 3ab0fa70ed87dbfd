import { PassThrough } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { writeChunks } from './csv-export.controller';

/** Pieces of 100 characters, counting how many were asked for. */
function pieces(n: number) {
  const made = { count: 0, finished: false };
  async function* gen(): AsyncGenerator<string> {
    try {
      for (let i = 0; i < n; i++) {
        made.count++;
        yield `${String(i).padStart(99, '0')}\n`;
      }
    } finally {
      made.finished = true;
    }
  }
  return { made, chunks: gen() };
}

describe('writeChunks', () => {
  it('makes the next piece only when a slow reader has taken the last one', async () => {
    const out = new PassThrough({ highWaterMark: 150 });
    const { made, chunks } = pieces(50);
    const writing = writeChunks(out, chunks);
    for (let i = 0; i < 10; i++) await nextTurn();
    // Two pieces fill the buffer of a reader who reads nothing; the rest wait for it.
    expect(made.count).toBeLessThanOrEqual(3);
    let text = '';
    out.on('data', (d) => (text += d));
    await writing;
    await new Promise((r) => out.once('end', r));
    expect(made.count).toBe(50);
    expect(text.split('\n').filter(Boolean)).toHaveLength(50);
  });

  it('stops making pieces when the reader hangs up', async () => {
    const out = new PassThrough({ highWaterMark: 150 });
    const { made, chunks } = pieces(50);
    const writing = writeChunks(out, chunks);
    for (let i = 0; i < 10; i++) await nextTurn();
    out.destroy();
    await writing;
    expect(made.finished).toBe(true);
    expect(made.count).toBeLessThan(50);
  });
});

import { describe, expect, it } from '@jest/globals';
import { readAhead } from './read-ahead.js';

/** A source that records when each item is asked for, relative to what the consumer has done. */
function recordingSource(count: number, log: string[], failAt = -1) {
  let closed = false;
  const source = (async function* () {
    try {
      for (let i = 0; i < count; i++) {
        log.push(`produce ${i}`);
        await new Promise((r) => setImmediate(r));
        if (i === failAt) throw new Error(`item ${i} failed`);
        yield i;
      }
    } finally {
      closed = true;
    }
  })();
  return { source, closed: () => closed };
}

describe('readAhead', () => {
  it('yields every item in order, producing the next while the consumer works on the current one', async () => {
    const log: string[] = [];
    const { source, closed } = recordingSource(3, log);
    for await (const item of readAhead(source)) {
      await new Promise((r) => setImmediate(r));
      log.push(`consume ${item}`);
    }
    expect(log).toEqual(['produce 0', 'produce 1', 'consume 0', 'produce 2', 'consume 1', 'consume 2']);
    expect(closed()).toBe(true);
  });

  it('closes the source when the consumer stops early', async () => {
    const { source, closed } = recordingSource(10, []);
    for await (const item of readAhead(source)) if (item === 1) break;
    expect(closed()).toBe(true);
  });

  it('reports a failure to produce an item when the consumer reaches it, and only then', async () => {
    const seen: number[] = [];
    const { source } = recordingSource(5, [], 2);
    await expect(
      (async () => {
        for await (const item of readAhead(source)) seen.push(item);
      })(),
    ).rejects.toThrow('item 2 failed');
    expect(seen).toEqual([0, 1]);
  });

  it('does not turn a failure of the item in flight into an unhandled rejection when the consumer throws', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (e: unknown) => unhandled.push(e);
    process.on('unhandledRejection', onUnhandled);
    try {
      const { source } = recordingSource(5, [], 1);
      await expect(
        (async () => {
          for await (const item of readAhead(source)) {
            await new Promise((r) => setTimeout(r, 5));
            throw new Error(`consumer failed on ${item}`);
          }
        })(),
      ).rejects.toThrow('consumer failed on 0');
      await new Promise((r) => setTimeout(r, 10));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});

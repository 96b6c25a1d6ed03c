import { describe, expect, it } from '@jest/globals';
import { orderedIds } from './ordered-ids.js';

describe('orderedIds', () => {
  it('gives valid version-7 UUIDs that sort in the order they were made', () => {
    const id = orderedIds(new Date('2027-03-01T12:00:00Z'));
    const ids = [0, 1, 2, 4095, 4096, 1_000_000, 2_999_999].map(id);
    for (const x of ids) expect(x).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('two batches of the same millisecond do not collide', () => {
    const at = new Date();
    expect(orderedIds(at)(0)).not.toBe(orderedIds(at)(0));
  });
});

import { describe, expect, it } from '@jest/globals';
import { levelFor, levelsCrossed } from './levels.js';

const SPEC: [number, number, number] = [250, 500, 1000];

describe('levels', () => {
  it('reads Bronze ≥ 250, Silver ≥ 500, Gold ≥ 1000 at the boundaries', () => {
    expect([0, 249, 250, 499, 500, 999, 1000, 5000].map((p) => levelFor(p, SPEC))).toEqual([
      null, null, 'bronze', 'bronze', 'silver', 'silver', 'gold', 'gold',
    ]);
  });

  it('follows configured thresholds', () => {
    expect(levelFor(10, [10, 20, 30])).toBe('bronze');
    expect(levelFor(30, [10, 20, 30])).toBe('gold');
    expect(levelFor(9, [10, 20, 30])).toBeNull();
  });

  it('lists the levels crossed going up, none going down or staying', () => {
    expect(levelsCrossed(200, 260, SPEC)).toEqual(['bronze']);
    expect(levelsCrossed(240, 1100, SPEC)).toEqual(['bronze', 'silver', 'gold']);
    expect(levelsCrossed(250, 300, SPEC)).toEqual([]);
    expect(levelsCrossed(600, 200, SPEC)).toEqual([]);
    expect(levelsCrossed(499, 500, SPEC)).toEqual(['silver']);
  });
});

import { describe, expect, it } from '@jest/globals';
import { isUrn, normalisePostcode } from './postcodes.js';

describe('postcodes', () => {
  it.each([
    ['sw1a1aa', 'SW1A 1AA'],
    [' SW1A 1AA ', 'SW1A 1AA'],
    ['m11ae', 'M1 1AE'],
    ['B33 8TH', 'B33 8TH'],
    ['cr2 6xh', 'CR2 6XH'],
    ['DN55 1PT', 'DN55 1PT'],
    ['W1A 0AX', 'W1A 0AX'],
    ['EC1A  1BB', 'EC1A 1BB'],
    ['gir0aa', 'GIR 0AA'],
  ])('normalises %s to %s', (typed, stored) => {
    expect(normalisePostcode(typed)).toBe(stored);
  });

  it.each(['', 'SW1A', '12345', 'SW1A 1A', 'SW1A 1AAA', 'Q1 1AA1', 'SW1A-1AA'])('refuses %j', (typed) => {
    expect(normalisePostcode(typed)).toBeNull();
  });
});

describe('URNs', () => {
  it('are exactly 6 digits', () => {
    expect(isUrn('100000')).toBe(true);
    for (const v of ['10000', '1000000', '10000a', ' 100000']) expect(isUrn(v)).toBe(false);
  });
});

import { describe, expect, it } from '@jest/globals';
import { usernameCandidates, usernameStem } from './usernames.js';

describe('usernames', () => {
  it('are readable ASCII stems from the name, without accents or punctuation', () => {
    expect(usernameStem('Zoë', "O'Brien")).toBe('zoe.o');
    expect(usernameStem('Jean-Luc', 'Picard')).toBe('jeanluc.p');
    expect(usernameStem('李', '王')).toBe('user');
  });

  it('offers distinct candidates with growing numbers', () => {
    const c = usernameCandidates('amira.k');
    expect(c).toHaveLength(8);
    for (const name of c) expect(name).toMatch(/^amira\.k\d{3,5}$/);
    expect(c[7].length).toBeGreaterThan(c[0].length);
  });
});

import { describe, expect, it } from '@jest/globals';
import { JOIN_CODE_ALPHABET, JOIN_CODE_LENGTH, newJoinCode, normaliseJoinCode } from './join-codes.js';

describe('join codes', () => {
  it('are 8 characters with no vowels and no 0, 1, O or I', () => {
    expect(JOIN_CODE_ALPHABET).toBe('BCDFGHJKLMNPQRSTVWXZ23456789');
    expect(JOIN_CODE_ALPHABET).not.toMatch(/[AEIOU01]/);
    for (let i = 0; i < 200; i++) expect(newJoinCode()).toMatch(/^[BCDFGHJKLMNPQRSTVWXZ2-9]{8}$/);
  });

  it('use the whole alphabet, roughly evenly', () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 2000; i++) for (const c of newJoinCode()) counts.set(c, (counts.get(c) ?? 0) + 1);
    expect(counts.size).toBe(JOIN_CODE_ALPHABET.length);
    const expected = (2000 * JOIN_CODE_LENGTH) / JOIN_CODE_ALPHABET.length; // ≈ 571
    for (const n of counts.values()) expect(Math.abs(n - expected)).toBeLessThan(expected * 0.25);
  });

  it('rarely repeat', () => {
    const codes = new Set(Array.from({ length: 10_000 }, newJoinCode));
    expect(codes.size).toBe(10_000);
  });

  it('are read forgivingly: case, spaces and hyphens do not matter', () => {
    expect(normaliseJoinCode('bk7q-z2mx')).toBe('BK7QZ2MX');
    expect(normaliseJoinCode(' BK7Q Z2MX ')).toBe('BK7QZ2MX');
  });

  it('are refused when they cannot be codes', () => {
    for (const typed of ['', 'BK7QZ2M', 'BK7QZ2MXX', 'AK7QZ2MX', 'BK7QZ2M0', 'BK7QZ2M!']) expect(normaliseJoinCode(typed)).toBeNull();
  });
});

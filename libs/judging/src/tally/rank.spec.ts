import { describe, expect, it } from '@jest/globals';
import { DEFAULT_RUBRIC, type RubricCriterion, scaleTotal, scaleTotals } from './rubric.js';
import { markOutcomes, rankIdeas, roundScore } from './rank.js';

describe('scaleTotal', () => {
  const max = Object.fromEntries(DEFAULT_RUBRIC.map((c) => [c.key, 10]));
  const min = Object.fromEntries(DEFAULT_RUBRIC.map((c) => [c.key, 1]));

  it('maps every criterion at its minimum to 0 and at its maximum to 100', () => {
    expect(scaleTotal(min, DEFAULT_RUBRIC)).toBe(0);
    expect(scaleTotal(max, DEFAULT_RUBRIC)).toBe(100);
    expect(scaleTotal({ ...min, innovation: 10 }, DEFAULT_RUBRIC)).toBe(20);
  });

  it('weights criteria and scales each by its own range', () => {
    const rubric: RubricCriterion[] = [
      { key: 'a', label: 'A', weight: 3, min: 0, max: 4 },
      { key: 'b', label: 'B', weight: 1, min: 1, max: 5 },
    ];
    // 3·(2 − 0) + 1·(5 − 1) = 10 of 3·4 + 1·4 = 16.
    expect(scaleTotal({ a: 2, b: 5 }, rubric)).toBe(62.5);
    expect(Array.from(scaleTotals([2, 5, 0, 1, 4, 5], rubric))).toEqual([62.5, 0, 100]);
  });

  it('rejects missing or out-of-range scores and unusable rubrics', () => {
    expect(() => scaleTotal({ ...max, impact: 11 }, DEFAULT_RUBRIC)).toThrow(/outside/);
    const { impact: _impact, ...missing } = max;
    expect(() => scaleTotal(missing, DEFAULT_RUBRIC)).toThrow(/no score/);
    expect(() => scaleTotal({ a: 1 }, [{ key: 'a', label: 'A', weight: 0, min: 0, max: 4 }])).toThrow(/weight/);
    expect(() => scaleTotal({ a: 1 }, [{ key: 'a', label: 'A', weight: 1, min: 4, max: 4 }])).toThrow(/below max/);
    expect(() => scaleTotals([1, 2, 3], [{ key: 'a', label: 'A', weight: 1, min: 0, max: 4 }, { key: 'b', label: 'B', weight: 1, min: 0, max: 4 }])).toThrow(/whole rows/);
  });
});

describe('roundScore', () => {
  it('rounds the exact value half away from zero, without −0', () => {
    expect(roundScore(71.235)).toBe(71.23); // 71.235 is stored as 71.2349999…
    expect(roundScore(0.125)).toBe(0.13); // exactly representable: a true half, rounded up
    expect(roundScore(-0.125)).toBe(-0.13);
    expect(Object.is(roundScore(-0.001), 0)).toBe(true);
    expect(Number.isNaN(roundScore(NaN))).toBe(true);
  });

  it('agrees with toFixed on many values, including halves and near-halves', () => {
    const values: number[] = [1.005, 2.675, 0.285, -2.675, 99.995, 100, 0, 1e-9, -50.125, 33.335];
    for (let i = 0; i < 20_000; i++) values.push((i * 7919) / 1000 - 40, i / 8 - 1000, Math.sin(i) * 120);
    for (const v of values) expect(roundScore(v)).toBe(Number(v.toFixed(2)) + 0);
  });
});

describe('rankIdeas', () => {
  const base = {
    adjusted: [70, 80, 60],
    rawMean: [70, 80, 60],
    judgeCount: [3, 3, 3],
    submittedAt: [1000, 2000, 3000],
    ideaIds: ['c', 'a', 'b'],
  };

  it('orders by adjusted score, best first, with 1-based ranks', () => {
    const ranking = rankIdeas(base);
    expect(Array.from(ranking.order)).toEqual([1, 0, 2]);
    expect(Array.from(ranking.rank)).toEqual([2, 1, 3]);
  });

  it('breaks ties by raw mean, then more judges, then earlier submission, then idea id', () => {
    const tie = { ...base, adjusted: [75, 75, 75] };
    expect(Array.from(rankIdeas({ ...tie, rawMean: [70, 72, 71] }).order)).toEqual([1, 2, 0]);
    const sameMean = { ...tie, rawMean: [70, 70, 70] };
    expect(Array.from(rankIdeas({ ...sameMean, judgeCount: [2, 3, 4] }).order)).toEqual([2, 1, 0]);
    expect(Array.from(rankIdeas({ ...sameMean, submittedAt: [3000, 1000, 2000] }).order)).toEqual([1, 2, 0]);
    expect(Array.from(rankIdeas({ ...sameMean, submittedAt: [5, 5, 5] }).order)).toEqual([1, 2, 0]); // ids a < b < c
    expect(Array.from(rankIdeas({ ...sameMean, submittedAt: [5, 5, 5], ideaIds: undefined }).order)).toEqual([0, 1, 2]);
  });

  it('compares scores as presented (2 decimals) unless asked for full precision', () => {
    const close = { ...base, adjusted: [71.2341, 71.2302, 10], rawMean: [60, 65, 10] };
    // Both show 71.23: the raw mean decides, not the invisible third decimal.
    expect(Array.from(rankIdeas(close).order)).toEqual([1, 0, 2]);
    expect(Array.from(rankIdeas({ ...close, precision: null }).order)).toEqual([0, 1, 2]);
  });

  it('puts ideas without scores last', () => {
    const ranking = rankIdeas({ ...base, adjusted: [NaN, 80, 60], rawMean: [NaN, 80, 60], judgeCount: [0, 3, 3] });
    expect(Array.from(ranking.order)).toEqual([1, 2, 0]);
  });

  it('is a total order: any input permutation gives the same ranking', () => {
    const n = 200;
    const adjusted = Array.from({ length: n }, (_, i) => 50 + (i % 7)); // many exact ties
    const rawMean = Array.from({ length: n }, (_, i) => 50 + (i % 3));
    const judgeCount = Array.from({ length: n }, (_, i) => 2 + (i % 2));
    const submittedAt = Array.from({ length: n }, (_, i) => 1000 + (i % 5));
    const ideaIds = Array.from({ length: n }, (_, i) => `idea-${String(i).padStart(3, '0')}`);
    const ranked = rankIdeas({ adjusted, rawMean, judgeCount, submittedAt, ideaIds });
    const perm = Array.from({ length: n }, (_, i) => (i * 37) % n); // 37 is coprime with 200
    const pick = <T>(values: T[]) => perm.map((p) => values[p]);
    const again = rankIdeas({ adjusted: pick(adjusted), rawMean: pick(rawMean), judgeCount: pick(judgeCount), submittedAt: pick(submittedAt), ideaIds: pick(ideaIds) });
    expect(Array.from(again.order, (p) => ideaIds[perm[p]])).toEqual(Array.from(ranked.order, (i) => ideaIds[i]));
  });
});

describe('markOutcomes', () => {
  const judgeCount = [3, 3, 0, 3, 3];
  const ranking = rankIdeas({
    adjusted: [90, 80, NaN, 70, 60],
    rawMean: [90, 80, NaN, 70, 60],
    judgeCount,
    submittedAt: [0, 0, 0, 0, 0],
  });

  it('shortlists the top shortlistSize of a screening round', () => {
    expect(markOutcomes(ranking, judgeCount, { kind: 'screening', shortlistSize: 2 })).toEqual(['shortlisted', 'shortlisted', null, null, null]);
  });

  it('marks the top prizeCount of a final as winners', () => {
    expect(markOutcomes(ranking, judgeCount, { kind: 'final', prizeCount: 3 })).toEqual(['winner', 'winner', null, 'winner', null]);
  });

  it('never selects an idea without scores, even when places are left', () => {
    expect(markOutcomes(ranking, judgeCount, { kind: 'screening', shortlistSize: 20 })).toEqual(['shortlisted', 'shortlisted', null, 'shortlisted', 'shortlisted']);
  });
});

import type { Competition } from './competition.entity.js';

export type CompetitionStatus = 'draft' | 'upcoming' | 'open' | 'closed' | 'judging' | 'results';

/** When entries stop: the planned close, or the moment an organiser closed it early. */
export function deadlineOf(c: Pick<Competition, 'closesAt' | 'closedAt'>): Date {
  return c.closedAt && c.closedAt < c.closesAt ? c.closedAt : c.closesAt;
}

/** Status is derived from the clock and a few facts, never stored (SPEC §2.3). */
export function competitionStatus(c: Competition, now: Date): CompetitionStatus {
  if (!c.publishedAt) return 'draft';
  if (c.resultsPublishedAt) return 'results';
  if (c.judgingStartedAt) return 'judging';
  if (now < c.opensAt) return 'upcoming';
  if (now < deadlineOf(c)) return 'open';
  return 'closed';
}

/** The date age eligibility is judged on: the closesAt in force when the competition opened. */
export function eligibilityDate(c: Pick<Competition, 'closesAt' | 'eligibilityClosesAt'>): Date {
  return c.eligibilityClosesAt ?? c.closesAt;
}

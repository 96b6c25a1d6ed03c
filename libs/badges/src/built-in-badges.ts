import { BUILT_IN_BADGES, type BuiltInBadge } from '@app/platform';

export { BUILT_IN_BADGES, type BuiltInBadge };

/**
 * The evidence narrative of each built-in badge, awarded by a domain event (SPEC §2.5). Published with the
 * award, so it says what was done and nothing about who, which idea or which school.
 */
export const BUILT_IN_EVIDENCE: Record<BuiltInBadge, string> = {
  'idea-maker': 'Submitted a first idea to a Young Ideas competition.',
  'team-player': 'Submitted an idea to a Young Ideas competition as one of a team of two or more.',
  shortlisted: 'Was a member of a team whose idea the judges shortlisted in a Young Ideas competition.',
  finalist: 'Was a member of a team whose idea reached the final of a Young Ideas competition.',
  winner: 'Was a member of a team whose idea won a Young Ideas competition.',
  judge: 'Scored every idea assigned to them in a round of Young Ideas judging.',
};

export function isBuiltInBadge(value: unknown): value is BuiltInBadge {
  return typeof value === 'string' && (BUILT_IN_BADGES as readonly string[]).includes(value);
}

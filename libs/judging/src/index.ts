// The judging area (SPEC §2.4): its Nest module, entities, services and job facade, built on pure
// algorithms — no Nest, no database, no I/O, all state in typed arrays:
//
//   assignment job (screening)   assignBalanced({ ideaCount, judges, judgesPerIdea, seed, conflicts })
//                                  conflicts from (idea, judge) pairs: buildConflictIndex(ideaCount, ideas, judges)
//                                  → assignments (ideaCount × k, −1 = unfilled), loads, unassignable, stats
//   assignment job (final)       assignPanel({ ideaCount, judges, conflicts })
//   conflict declared on one     pickReplacement({ judges, loads, onIdea, conflicted, seed })
//   scoring                      scaleTotal(scores, rubric) → 0–100 total (DEFAULT_RUBRIC: 5 × 1–10)
//   tally job                    fitAdditiveModel({ ideaCount, judgeCount, ideaIndex, judgeIndex, total }, { judgesPerIdea })
//                                  → ideas { adjusted, rawMean, judgeCount, disagreement, flags }, judges { severity, scoreCount }
//                                rankIdeas({ adjusted, rawMean, judgeCount, submittedAt, ideaIds }) → order, rank
//                                markOutcomes(ranking, judgeCount, { kind: 'screening', shortlistSize } | { kind: 'final', prizeCount })
//   presentation                 roundScore(adjusted) (2 decimals), flagNames(flags)
//
// Ideas and judges are dense indices (0..n−1, e.g. positions in the round's sorted id lists); mapping
// ids to indices and back is the caller's job. Everything is deterministic: same inputs (and seed),
// same output, bit for bit.
export { Prng, hashSeed, type Seed } from './assignment/prng.js';
export { buildConflictIndex, emptyConflicts, validateConflictIndex, type ConflictIndex } from './assignment/conflicts.js';
export {
  assignBalanced,
  type AssignmentStats,
  type BalancedAssignment,
  type BalancedAssignmentInput,
} from './assignment/balanced-assignment.js';
export { pickReplacement, type ReplacementInput } from './assignment/replacement.js';
export { assignPanel, type PanelAssignment, type PanelAssignmentInput } from './assignment/panel-assignment.js';
export { DEFAULT_RUBRIC, scaleTotal, scaleTotals, validateRubric, type RubricCriterion } from './tally/rubric.js';
export {
  TallyFlag,
  fitAdditiveModel,
  flagNames,
  type AdditiveModelFit,
  type AdditiveModelOptions,
  type IdeaResults,
  type JudgeResults,
  type ScoreTable,
  type TallyFlagName,
} from './tally/additive-model.js';
export { markOutcomes, rankIdeas, roundScore, type OutcomeRule, type RankInput, type Ranking, type RoundOutcome } from './tally/rank.js';

// Pure rules used by the services (unit-tested on their own).
export { contactDetails, type ContactKind } from './scoring/contact-details.js';
export { checkScore, FEEDBACK_MAX, FEEDBACK_MIN } from './scoring/score-rules.js';
export { AliasMaker, ALIAS_ALPHABET } from './rounds/aliases.js';
export { nextAwardState, payeeErrors, type AwardPatch, type AwardState, type TeamFacts } from './awards/award-rules.js';

// Entities, services, errors and the module.
export * from './judging.errors.js';
export * from './judging.queue.js';
export * from './rounds/round.entity.js';
export * from './scoring/assignment.entity.js';
export * from './conflicts/conflict.entity.js';
export * from './invitations/judge-invitation.entity.js';
export * from './awards/funding-award.entity.js';
export * from './invitations/judge-invitations.service.js';
export * from './conflicts/conflicts.service.js';
export * from './rounds/rounds.service.js';
export * from './rounds/assignment.service.js';
export * from './scoring/scoring.service.js';
export * from './scoring/reminders.service.js';
export * from './results/tally.service.js';
export * from './results/publication.service.js';
export * from './results/feedback.service.js';
export * from './awards/awards.service.js';
export * from './judging.module.js';
export * from './judging-personal-data.js';

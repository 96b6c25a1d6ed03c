import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import type { RubricCriterion } from '../tally/rubric.js';

export type RoundKind = 'screening' | 'final';
export type RoundStatus = 'setup' | 'assigning' | 'scoring' | 'closed' | 'tallied' | 'confirmed';
export const ROUND_STATUSES: readonly RoundStatus[] = ['setup', 'assigning', 'scoring', 'closed', 'tallied', 'confirmed'];
export type RoundOutcomeName = 'shortlisted' | 'winner';

export interface RoundStats {
  ideas: number;
  assignments: number;
  /** Ideas that could not get judgesPerIdea judges (screening) or any judge (final): kept, never dropped. */
  unassignable: string[];
  loadMin: number;
  loadMax: number;
}

export interface OutcomeOverride {
  ideaId: string;
  outcome: RoundOutcomeName | null;
  reason: string;
}

/** A judging round of a competition (SPEC §2.4): screening over every entry, or a final over the shortlist. */
@Entity('judging_round')
@Index('judging_round_competition_number_key', ['competitionId', 'number'], { unique: true })
export class Round {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid') competitionId: string;
  /** 1, 2, … within the competition: rounds run one after another. */
  @Column('int') number: number;
  @Column('text') kind: RoundKind;
  @Column('text') name: string;
  @Column({ type: 'text', default: 'setup' }) status: RoundStatus;
  @Column('int') judgesPerIdea: number;
  @Column('int') shortlistSize: number;
  @Column('jsonb') criteria: RubricCriterion[];
  /** The assignment's seed, stored when the assignment runs: the same seed gives the same assignment. */
  @Column({ type: 'text', nullable: true }) seed: string | null;
  /** A final's entries are the shortlist of this round. */
  @Column({ type: 'uuid', nullable: true }) previousRoundId: string | null;
  @Column({ type: 'jsonb', nullable: true }) stats: RoundStats | null;
  /** The organiser's overrides at confirmation, with their reasons. */
  @Column({ type: 'jsonb', default: () => `'[]'` }) overrides: OutcomeOverride[];
  /** How the tally's model fit went (sweeps, convergence, scores used). */
  @Column({ type: 'jsonb', nullable: true }) tally: { iterations: number; converged: boolean; scores: number } | null;
  @Column({ type: 'text', nullable: true }) assignJobId: string | null;
  @Column({ type: 'text', nullable: true }) tallyJobId: string | null;
  @Column('uuid') createdBy: string;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @Column({ type: 'timestamptz', nullable: true }) scoringStartedAt: Date | null;
  @Column({ type: 'timestamptz', nullable: true }) closedAt: Date | null;
  @Column({ type: 'timestamptz', nullable: true }) talliedAt: Date | null;
  @Column({ type: 'timestamptz', nullable: true }) confirmedAt: Date | null;
  @Column({ type: 'uuid', nullable: true }) confirmedBy: string | null;
}

/**
 * A judge of a round's pool, at a dense index (0..J−1, in judge id order) — the index the assignment
 * and the tally work with — with their current load and, once tallied, the model's severity.
 */
@Entity('round_judge')
@Index('round_judge_judge_key', ['roundId', 'judgeId'], { unique: true })
export class RoundJudge {
  @PrimaryColumn('uuid') roundId: string;
  @PrimaryColumn('int') idx: number;
  @Column('uuid') judgeId: string;
  /** Assignments held (open or scored), kept up to date by reassignments. */
  @Column({ type: 'int', default: 0 }) load: number;
  @Column({ type: 'double precision', nullable: true }) severity: number | null;
  @Column({ type: 'int', default: 0 }) scoreCount: number;
}

/**
 * An entry of a round at a dense index (0..N−1, in idea id order): the snapshot judged (the latest
 * version submitted before the deadline), its alias and the lead entrant's age band as judges see them.
 * Partitioned by round (one partition per round, loaded by the assignment job with loadPartition).
 */
@Entity('round_entry')
@Index('round_entry_idea_key', ['roundId', 'ideaId'], { unique: true })
export class RoundEntry {
  @PrimaryColumn('uuid') roundId: string;
  @PrimaryColumn('int') idx: number;
  @Column('uuid') ideaId: string;
  @Column('uuid') versionId: string;
  @Column('int') version: number;
  /**
   * "Entry 4F7K": the only name judges see. Unique within the round by construction (AliasMaker is a
   * bijection on entry indices), so no index checks it: one would take a random-order insert per
   * entry of a million-idea round, for a property that cannot fail.
   */
  @Column('text') alias: string;
  @Column('text') leadAgeBand: string;
  /** When the judged version was submitted (the last tie-break but one). */
  @Column({ type: 'timestamptz' }) submittedAt: Date;
}

/**
 * One line of a tallied round's results (SPEC §2.4), keyed by rank (a permutation of the entries by
 * construction). Partitioned by round like round_entry: the tally writes the round's million lines
 * into a fresh partition, indexed once (loadPartition).
 */
@Entity('round_result')
export class RoundResult {
  @PrimaryColumn('uuid') roundId: string;
  @PrimaryColumn('int') rank: number;
  @Column('int') entryIdx: number;
  /** The model's quality estimate (unrounded); null for an entry without scores. */
  @Column({ type: 'double precision', nullable: true }) adjusted: number | null;
  @Column({ type: 'double precision', nullable: true }) rawMean: number | null;
  @Column('int') judgeCount: number;
  @Column({ type: 'double precision' }) disagreement: number;
  /** TallyFlag bits. */
  @Column('smallint') flags: number;
  /** What the tally decided … */
  @Column({ type: 'text', nullable: true }) computedOutcome: RoundOutcomeName | null;
  /** … and what stands after the organiser's confirmation (overrides applied). */
  @Column({ type: 'text', nullable: true }) outcome: RoundOutcomeName | null;
}

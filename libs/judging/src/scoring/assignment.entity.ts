import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

export type AssignmentStatus = 'open' | 'scored' | 'conflicted';

/**
 * One judge on one entry of a round, and their score once given. Written a million at a time by the
 * assignment job (COPY), so it refers to the entry and the judge by their dense round indices. The
 * table is partitioned by round (migration PartitionRoundTablesByRound): the job fills the round's
 * partition and indexes it once (loadPartition); the key therefore holds round_id too.
 */
@Entity('judge_assignment')
@Index('judge_assignment_slot_key', ['roundId', 'entryIdx', 'judgeIdx'], { unique: true })
@Index('judge_assignment_judge_idx', ['judgeId', 'roundId'])
export class Assignment {
  @PrimaryGeneratedColumn('uuid') id: string;
  @PrimaryColumn('uuid') roundId: string;
  @Column('int') entryIdx: number;
  @Column('int') judgeIdx: number;
  @Column('uuid') judgeId: string;
  @Column({ type: 'text', default: 'open' }) status: AssignmentStatus;
  /** One integer per criterion, in the round's rubric order. */
  @Column({ type: 'smallint', array: true, nullable: true }) scores: number[] | null;
  /** The weighted total on the 0–100 scale. */
  @Column({ type: 'double precision', nullable: true }) total: number | null;
  @Column({ type: 'text', nullable: true }) feedback: string | null;
  @Column({ type: 'timestamptz', nullable: true }) scoredAt: Date | null;
  @Column({ type: 'text', nullable: true }) conflictReason: string | null;
  @Column({ type: 'timestamptz', nullable: true }) conflictedAt: Date | null;
  /** An organiser kept this feedback from the entrants (before release; audited). */
  @Column({ type: 'timestamptz', nullable: true }) feedbackWithheldAt: Date | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
}

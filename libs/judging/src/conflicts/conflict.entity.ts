import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** What a judge declares about themselves (SPEC §2.4): schools by URN, organisations in free text. */
@Entity('judge_declared_conflicts')
export class DeclaredConflicts {
  @PrimaryColumn('uuid') judgeId: string;
  @Column({ type: 'text', array: true, default: '{}' }) urns: string[];
  @Column({ type: 'text', array: true, default: '{}' }) organisations: string[];
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;
}

/**
 * A conflict a judge declared on an assignment: it binds every later round of the competition
 * (the judge is never assigned that idea again).
 */
@Entity('judge_idea_conflict')
@Index('judge_idea_conflict_judge_idx', ['judgeId'])
export class IdeaConflict {
  @PrimaryColumn('uuid') competitionId: string;
  @PrimaryColumn('uuid') ideaId: string;
  @PrimaryColumn('uuid') judgeId: string;
  /** The round it was declared in. */
  @Column('uuid') roundId: string;
  @Column('text') reason: string;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
}

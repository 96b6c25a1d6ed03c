import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn, type Relation, UpdateDateColumn } from 'typeorm';
import { Competition } from './competition.entity.js';

export type IdeaStatus = 'draft' | 'submitted' | 'withdrawn';
export type IdeaOutcome = 'shortlisted' | 'finalist' | 'winner';

/** The editable fields of an idea; a submitted version is a frozen copy of them. */
export interface IdeaContent {
  title: string;
  summary: string;
  problem: string;
  solution: string;
  audience: string;
  category: string | null;
  links: string[];
}

@Entity('idea')
@Index('idea_competition_status_idx', ['competitionId', 'status'])
@Index('idea_created_idx', ['createdAt', 'id'])
export class Idea implements IdeaContent {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid') competitionId: string;
  @ManyToOne(() => Competition, { onDelete: 'RESTRICT' }) @JoinColumn({ name: 'competition_id' }) competition?: Relation<Competition>;
  @Index() @Column('uuid') ownerId: string;
  @Column('text') title: string;
  @Column({ type: 'text', default: '' }) summary: string;
  @Column({ type: 'text', default: '' }) problem: string;
  @Column({ type: 'text', default: '' }) solution: string;
  @Column({ type: 'text', default: '' }) audience: string;
  @Column({ type: 'text', nullable: true }) category: string | null;
  @Column({ type: 'text', array: true, default: '{}' }) links: string[];
  @Column({ type: 'text', default: 'draft' }) status: IdeaStatus;
  @Column({ default: false }) hidden: boolean;
  @Column({ type: 'text', nullable: true }) hiddenReason: string | null;
  @Column({ type: 'text', nullable: true }) outcome: IdeaOutcome | null;
  /** Number of the latest submitted version (0: never submitted). */
  @Column({ type: 'int', default: 0 }) version: number;
  @Column({ type: 'timestamptz', nullable: true }) submittedAt: Date | null;
  /** Hash of the content as last submitted, to tell whether there are unsubmitted changes. */
  @Column({ type: 'text', nullable: true }) submittedHash: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;
}

export type MemberRole = 'owner' | 'member';

/** Team membership: the owner, accepted members and pending invitations. */
@Entity('idea_member')
@Index('idea_member_user_idx', ['userId'])
export class IdeaMember {
  @PrimaryColumn('uuid') ideaId: string;
  @ManyToOne(() => Idea, { onDelete: 'CASCADE' }) @JoinColumn({ name: 'idea_id' }) idea?: Relation<Idea>;
  @PrimaryColumn('uuid') userId: string;
  @Column('text') role: MemberRole;
  @Column({ default: false }) accepted: boolean;
  @Column({ type: 'uuid', nullable: true }) invitedBy: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) invitedAt: Date;
  @Column({ type: 'timestamptz', nullable: true }) acceptedAt: Date | null;
}

/** An immutable snapshot taken at each submit (version n+1), with a content hash. */
@Entity('idea_version')
@Index('idea_version_key', ['ideaId', 'version'], { unique: true })
export class IdeaVersion {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid') ideaId: string;
  @ManyToOne(() => Idea, { onDelete: 'CASCADE' }) @JoinColumn({ name: 'idea_id' }) idea?: Relation<Idea>;
  @Column('int') version: number;
  @Column('jsonb') content: IdeaContent;
  @Column('text') contentHash: string;
  @Column({ type: 'uuid', array: true }) memberIds: string[];
  @Column('uuid') submittedBy: string;
  @Column({ type: 'timestamptz' }) submittedAt: Date;
}

/**
 * One row per entrant in a submitted idea of a competition: the primary key enforces "a member of at
 * most one submitted idea per competition" even under concurrent submits.
 */
@Entity('submission_slot')
export class SubmissionSlot {
  @PrimaryColumn('uuid') competitionId: string;
  @PrimaryColumn('uuid') userId: string;
  @Index() @Column('uuid') ideaId: string;
  @ManyToOne(() => Idea, { onDelete: 'CASCADE' }) @JoinColumn({ name: 'idea_id' }) idea?: Relation<Idea>;
}

@Entity('idea_report')
@Index('idea_report_open_idx', ['createdAt'], { where: 'resolved_at IS NULL' })
export class IdeaReport {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Index() @Column('uuid') ideaId: string;
  @ManyToOne(() => Idea, { onDelete: 'CASCADE' }) @JoinColumn({ name: 'idea_id' }) idea?: Relation<Idea>;
  @Column('uuid') reporterId: string;
  @Column('text') reason: string;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @Column({ type: 'timestamptz', nullable: true }) resolvedAt: Date | null;
}

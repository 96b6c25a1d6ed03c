import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * Tokens sent in emails (verify email, reset password, parental consent, judge invitation).
 * Only a SHA-256 of the token is kept; each is single use and expires.
 */
@Entity('single_use_token')
@Index('single_use_token_subject_idx', ['purpose', 'subjectId'])
export class SingleUseToken {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('text') purpose: string;
  @Index({ unique: true }) @Column('text') tokenHash: string;
  /** What the token acts on (a user, an invitation…). */
  @Column({ type: 'uuid', nullable: true }) subjectId: string | null;
  @Column({ type: 'jsonb', default: () => `'{}'` }) data: Record<string, any>;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @Column({ type: 'timestamptz' }) expiresAt: Date;
  @Column({ type: 'timestamptz', nullable: true }) usedAt: Date | null;
}

import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import type { RecipientKind } from './open-badges/index.js';
import { BadgeClass } from './badge.entity.js';

/** automatic: a domain event (built-in badges); organiser or teacher: awarded by hand with evidence. */
export type AwardMethod = 'automatic' | 'organiser' | 'teacher';

export interface AwardEvidence {
  narrative: string;
  /** https only. */
  url?: string;
}

/**
 * A badge awarded to a person. It is recorded at once; its public Open Badges documents exist from
 * `publishedAt` on — when the recipient may have a public credential (SPEC §2.1: an under-13 only with
 * consent). Publishing hashes the recipient, takes a random index of a status list and stores the signed
 * OB 3.0 credential exactly as it is served.
 */
@Entity('badge_award')
// One live award per badge per person (SPEC §2.5); a revoked one may be issued again.
@Index('badge_award_live_key', ['badgeId', 'recipientId'], { unique: true, where: 'revoked_at IS NULL' })
// Domain events award a built-in badge once per person, ever: replays and retries of the job, and later
// events after a revocation, add nothing.
@Index('badge_award_automatic_key', ['badgeId', 'recipientId'], { unique: true, where: `method = 'automatic'` })
@Index('badge_award_recipient_idx', ['recipientId', 'awardedAt'])
@Index('badge_award_status_key', ['statusListId', 'statusListIndex'], { unique: true, where: 'status_list_id IS NOT NULL' })
@Index('badge_award_revoked_idx', ['revokedAt'], { where: 'revoked_at IS NOT NULL AND published_at IS NOT NULL' })
export class BadgeAward {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid') badgeId: string;
  @ManyToOne(() => BadgeClass, { onDelete: 'RESTRICT' }) @JoinColumn({ name: 'badge_id' }) badge?: Relation<BadgeClass>;
  @Column('uuid') recipientId: string;
  @Column('text') method: AwardMethod;
  @Column({ type: 'uuid', nullable: true }) awardedBy: string | null;
  @Column('jsonb') evidence: AwardEvidence;
  /** What earned an automatic award (competition, idea, round): private, never published. */
  @Column({ type: 'jsonb', nullable: true }) source: Record<string, string> | null;
  @Column({ type: 'timestamptz' }) awardedAt: Date;
  @Column({ type: 'text', nullable: true }) recipientKind: RecipientKind | null;
  @Column({ type: 'text', nullable: true }) recipientSalt: string | null;
  /** sha256$… of the email (or platform URN) and the salt. */
  @Column({ type: 'text', nullable: true }) recipientHash: string | null;
  @Column({ type: 'int', nullable: true }) statusListId: number | null;
  @Column({ type: 'int', nullable: true }) statusListIndex: number | null;
  /** The signed OB 3.0 OpenBadgeCredential, as served (text: byte for byte what was signed and stored). */
  @Column({ type: 'text', nullable: true, select: false }) credential: string | null;
  @Column({ type: 'timestamptz', nullable: true }) publishedAt: Date | null;
  @Column({ type: 'timestamptz', nullable: true }) revokedAt: Date | null;
  @Column({ type: 'uuid', nullable: true }) revokedBy: string | null;
  @Column({ type: 'text', nullable: true }) revocationReason: string | null;
}

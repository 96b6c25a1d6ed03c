import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export type AwardStatus = 'awarded' | 'accepted' | 'paid' | 'withdrawn';
export type AcceleratorStatus = 'offered' | 'accepted' | 'declined' | 'completed';
export type PaymentStatus = 'pending' | 'paid' | 'withheld';

/** Who is paid (SPEC §2.4): an adult member, or for an all-under-18 team a parent/guardian or the school. */
export type Payee =
  | { kind: 'member'; userId: string }
  | { kind: 'parent_guardian'; name: string; email: string }
  | { kind: 'school'; schoolId: string };

/** The funding a winning idea receives (one per winning idea, made once by publishing results). */
@Entity('funding_award')
@Index('funding_award_idea_key', ['competitionId', 'ideaId'], { unique: true })
@Index('funding_award_created_idx', ['createdAt', 'id'])
export class FundingAward {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid') competitionId: string;
  @Column('uuid') ideaId: string;
  @Column('int') amountPence: number;
  @Column({ type: 'text', default: 'GBP' }) currency: string;
  @Column({ type: 'timestamptz' }) awardedAt: Date;
  @Column({ type: 'text', default: 'awarded' }) status: AwardStatus;
  @Column({ type: 'text', default: 'offered' }) acceleratorStatus: AcceleratorStatus;
  @Column({ type: 'text', default: 'pending' }) paymentStatus: PaymentStatus;
  @Column({ type: 'jsonb', nullable: true }) payee: Payee | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;
}

/**
 * The committed record of a competition's results publication (SPEC §2.6): one per competition, so
 * publishing runs once; the job records how far it got, so a retry repeats nothing.
 */
@Entity('results_publication')
export class ResultsPublication {
  @PrimaryColumn('uuid') competitionId: string;
  @Column('uuid') finalRoundId: string;
  @Column('uuid') requestedBy: string;
  @CreateDateColumn({ type: 'timestamptz' }) requestedAt: Date;
  @Column('text') jobId: string;
  /** Awards made, outcomes marked, badges emitted and feedback released (one transaction). */
  @Column({ type: 'timestamptz', nullable: true }) releasedAt: Date | null;
  /** Every entrant and judge notified. */
  @Column({ type: 'timestamptz', nullable: true }) completedAt: Date | null;
}

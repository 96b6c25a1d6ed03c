import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

@Entity('competition')
export class Competition {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Index('competition_slug_key', { unique: true }) @Column('text') slug: string;
  @Column('text') title: string;
  @Column({ type: 'text', default: '' }) description: string;
  @Column('int') minAge: number;
  @Column('int') maxAge: number;
  @Column({ type: 'timestamptz' }) opensAt: Date;
  @Column({ type: 'timestamptz' }) closesAt: Date;
  /** The closesAt in force when the competition opened: age eligibility is judged on it (SPEC §2.3). */
  @Column({ type: 'timestamptz', nullable: true }) eligibilityClosesAt: Date | null;
  /** Set when an organiser closes the competition early. */
  @Column({ type: 'timestamptz', nullable: true }) closedAt: Date | null;
  @Column({ type: 'int', default: 4 }) maxTeamSize: number;
  @Column({ type: 'int', default: 3 }) prizeCount: number;
  @Column({ type: 'int', default: 1_500_000 }) prizeAmountPence: number;
  @Column({ type: 'text', array: true }) categories: string[];
  @Column({ type: 'timestamptz', nullable: true }) publishedAt: Date | null;
  /** Set by judging when the first round is created. */
  @Column({ type: 'timestamptz', nullable: true }) judgingStartedAt: Date | null;
  /** Set by judging when results are published. */
  @Column({ type: 'timestamptz', nullable: true }) resultsPublishedAt: Date | null;
  @Column('uuid') createdBy: string;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;
}

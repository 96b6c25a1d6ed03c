import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn, type Relation } from 'typeorm';

export type SchoolStatus = 'pending' | 'verified';
export const SCHOOL_STATUSES: readonly SchoolStatus[] = ['pending', 'verified'];

/** A school, by its UK unique reference number (SPEC §2.2). Organisers verify it. */
@Entity('school')
@Check('school_urn_check', `urn ~ '^[0-9]{6}$'`)
@Check('school_status_check', `status IN ('pending', 'verified')`)
@Index('school_status_created_idx', ['status', 'createdAt', 'id'])
export class School {
  @PrimaryGeneratedColumn('uuid') id: string;
  /** The URN: 6 digits. */
  @Index('school_urn_key', { unique: true }) @Column('text') urn: string;
  @Column('text') name: string;
  /** Normalised: upper case with one space before the inward code ("SW1A 1AA"). */
  @Column('text') postcode: string;
  @Column({ type: 'text', default: 'pending' }) status: SchoolStatus;
  /** What the organiser checked (free text, for organisers only). */
  @Column({ type: 'text', nullable: true }) evidence: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @Column({ type: 'timestamptz', nullable: true }) verifiedAt: Date | null;
  @Column({ type: 'uuid', nullable: true }) verifiedById: string | null;
}

/** A teacher's membership of a school: pending until an organiser or a verified colleague verifies it. */
@Entity('school_membership')
@Check('school_membership_status_check', `status IN ('pending', 'verified')`)
export class SchoolMembership {
  @PrimaryColumn('uuid') schoolId: string;
  @ManyToOne(() => School, { onDelete: 'CASCADE' }) @JoinColumn({ name: 'school_id' }) school?: Relation<School>;
  @Index('school_membership_user_idx') @PrimaryColumn('uuid') userId: string;
  @Column({ type: 'text', default: 'pending' }) status: SchoolStatus;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @Column({ type: 'timestamptz', nullable: true }) verifiedAt: Date | null;
  /** The organiser or verified colleague who verified it. */
  @Column({ type: 'uuid', nullable: true }) verifiedById: string | null;
}

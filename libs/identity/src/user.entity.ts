import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { ConsentMethod, ConsentStatus, Region, Role } from './people.js';

export type ProfileVisibility = 'private' | 'public';
export type AccountOrigin = 'self' | 'roster' | 'invitation' | 'cli';

@Entity('users')
@Index('users_email_key', ['email'], { unique: true, where: 'email IS NOT NULL' })
@Index('users_retention_idx', ['lastActiveAt'], { where: 'erased_at IS NULL' })
export class User {
  @PrimaryGeneratedColumn('uuid') id: string;
  /** Lower-cased; null for roster-created children and erased accounts. */
  @Column({ type: 'text', nullable: true }) email: string | null;
  @Index('users_username_key', { unique: true }) @Column('text') username: string;
  /** argon2id PHC string; null while a one-time password stands in for it, and when erased. */
  @Column({ type: 'text', nullable: true }) passwordHash: string | null;
  /**
   * HMAC-SHA256 (keyed, see OneTimePasswords) of the random one-time password a teacher handed out for a
   * roster account; set until the first password change, which stores an argon2id hash instead.
   */
  @Column({ type: 'text', nullable: true }) oneTimePasswordHash: string | null;
  @Column('text') firstName: string;
  @Column('text') lastName: string;
  @Column({ type: 'date', nullable: true }) dateOfBirth: string | null;
  @Column({ type: 'text', nullable: true }) region: Region | null;
  @Column({ type: 'text', array: true }) roles: Role[];
  @Column({ type: 'text', default: 'self' }) origin: AccountOrigin;
  @Column({ type: 'timestamptz', nullable: true }) emailVerifiedAt: Date | null;
  @Column({ default: false }) mustChangePassword: boolean;
  @Column({ type: 'text', default: 'not_required' }) consentStatus: ConsentStatus;
  @Column({ type: 'text', nullable: true }) parentEmail: string | null;
  /** How the last consent decision was made, by which account (a teacher; null for a parent) and when. */
  @Column({ type: 'text', nullable: true }) consentMethod: ConsentMethod | null;
  @Column({ type: 'uuid', nullable: true }) consentActorId: string | null;
  /** The name the parent or guardian gave when deciding through the emailed link. */
  @Column({ type: 'text', nullable: true }) consentParentName: string | null;
  @Column({ type: 'timestamptz', nullable: true }) consentAt: Date | null;
  @Column({ type: 'text', default: 'private' }) profileVisibility: ProfileVisibility;
  @Column({ default: false }) marketingOptIn: boolean;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;
  @Column({ type: 'timestamptz', default: () => 'now()' }) lastActiveAt: Date;
  /** Inactivity warnings sent (0 none, 1 the 30-day one, 2 the 7-day one) and when the last went. */
  @Column({ type: 'smallint', default: 0 }) retentionStage: number;
  @Column({ type: 'timestamptz', nullable: true }) retentionWarnedAt: Date | null;
  @Column({ type: 'timestamptz', nullable: true }) erasedAt: Date | null;
}

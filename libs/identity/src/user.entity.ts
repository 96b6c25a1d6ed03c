import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { ConsentStatus, Region, Role } from './people.js';

export type ProfileVisibility = 'private' | 'public';
export type AccountOrigin = 'self' | 'roster' | 'invitation' | 'cli';

@Entity('users')
@Index('users_email_key', ['email'], { unique: true, where: 'email IS NOT NULL' })
export class User {
  @PrimaryGeneratedColumn('uuid') id: string;
  /** Lower-cased; null for roster-created children and erased accounts. */
  @Column({ type: 'text', nullable: true }) email: string | null;
  @Index('users_username_key', { unique: true }) @Column('text') username: string;
  /** argon2id PHC string; null when sign-in is impossible (erased). */
  @Column({ type: 'text', nullable: true }) passwordHash: string | null;
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
  @Column({ type: 'text', default: 'private' }) profileVisibility: ProfileVisibility;
  @Column({ default: false }) marketingOptIn: boolean;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;
  @Column({ type: 'timestamptz', default: () => 'now()' }) lastActiveAt: Date;
  @Column({ type: 'timestamptz', nullable: true }) erasedAt: Date | null;
}

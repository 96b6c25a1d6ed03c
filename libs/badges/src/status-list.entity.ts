import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/**
 * One Bitstring Status List (SPEC §2.5): which indices are taken (allocated at random), which are revoked,
 * and the signed BitstringStatusListCredential served at `/ob/v3/status/:id`, re-signed on each revocation.
 */
@Entity('badge_status_list')
export class BadgeStatusList {
  @PrimaryGeneratedColumn('increment') id: number;
  /** Entries in the list (≥ 131,072). */
  @Column('int') length: number;
  /** One bit per entry: taken by a credential. */
  @Column({ type: 'bytea', select: false }) allocated: Buffer;
  @Column({ type: 'int', default: 0 }) allocatedCount: number;
  /** One bit per entry: revoked. */
  @Column({ type: 'bytea', select: false }) revoked: Buffer;
  /** The signed status list credential, as served. */
  @Column({ type: 'text', select: false }) credential: string;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;
}

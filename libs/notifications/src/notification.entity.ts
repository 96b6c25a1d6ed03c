import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One message to one recipient: an email (when `email` is set) and/or an in-app inbox item (when
 * `inApp` and `userId` are set). Written in the transaction of the change that causes it.
 */
@Entity('notification')
@Index('notification_inbox_idx', ['userId', 'createdAt'], { where: 'in_app' })
@Index('notification_unsent_idx', ['createdAt'], { where: 'email IS NOT NULL AND sent_at IS NULL' })
export class Notification {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'uuid', nullable: true }) userId: string | null;
  @Column({ type: 'text', nullable: true }) email: string | null;
  @Column('text') template: string;
  @Column({ type: 'jsonb', default: () => `'{}'` }) data: Record<string, any>;
  /** A token for the email's link, sealed (AES-GCM) and wiped once the email is sent. */
  @Column({ type: 'text', nullable: true }) secret: string | null;
  @Column({ default: false }) inApp: boolean;
  /** A unique key (event + recipient) for mass notifications, so a fan-out can be re-run safely. */
  @Index({ unique: true, where: 'dedupe_key IS NOT NULL' })
  @Column({ type: 'text', nullable: true })
  dedupeKey: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @Column({ type: 'timestamptz', nullable: true }) readAt: Date | null;
  @Column({ type: 'timestamptz', nullable: true }) sentAt: Date | null;
  /** Lease: one worker sends at a time. */
  @Column({ type: 'timestamptz', nullable: true }) sendingUntil: Date | null;
  @Column({ type: 'int', default: 0 }) attempts: number;
  @Column({ type: 'text', nullable: true }) lastError: string | null;
}

import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** A job to enqueue, written in the same transaction as the change that causes it. */
@Entity('outbox')
@Index('outbox_pending_idx', ['createdAt'], { where: 'relayed_at IS NULL' })
export class OutboxMessage {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('text') job: string;
  @Column('jsonb') data: unknown;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @Column({ type: 'timestamptz', nullable: true }) relayedAt: Date | null;
}

import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** The first answer to a request sent with an Idempotency-Key, kept 24 hours (SPEC §2.3). */
@Entity('idempotency_record')
@Index('idempotency_record_key', ['userId', 'route', 'key'], { unique: true })
export class IdempotencyRecord {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid') userId: string;
  /** Method and route template, e.g. "POST /ideas/:id/submit". */
  @Column('text') route: string;
  @Column('text') key: string;
  /** SHA-256 of the path parameters and body: the same key with another request → 422. */
  @Column('text') requestHash: string;
  @Column({ type: 'int', nullable: true }) responseStatus: number | null;
  @Column({ type: 'jsonb', nullable: true }) responseBody: unknown;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @Index() @Column({ type: 'timestamptz' }) expiresAt: Date;
}

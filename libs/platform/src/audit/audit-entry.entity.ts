import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * Append-only: a database trigger (see the migration) refuses UPDATE and DELETE.
 * Holds ids and codes, never personal data, so erasure leaves it untouched.
 */
@Entity('audit_log')
@Index('audit_log_at_idx', ['at', 'id'])
export class AuditEntry {
  @PrimaryGeneratedColumn('uuid') id: string;
  @CreateDateColumn({ type: 'timestamptz' }) at: Date;
  @Index() @Column('text') action: string;
  @Index() @Column({ type: 'uuid', nullable: true }) actorId: string | null;
  @Column({ type: 'text', nullable: true }) subjectType: string | null;
  @Index() @Column({ type: 'uuid', nullable: true }) subjectId: string | null;
  @Column({ type: 'jsonb', default: () => `'{}'` }) data: Record<string, any>;
}

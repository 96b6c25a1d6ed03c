import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** Secrets generated once for a non-production install (SPEC §4); production passes them in. */
@Entity('platform_secret')
export class PlatformSecret {
  @PrimaryColumn('text') name: string;
  @Column('text') value: string;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
}

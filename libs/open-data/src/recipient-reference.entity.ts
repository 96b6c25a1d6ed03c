import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * The random 360Giving reference under which a funding award's recipients are published as an
 * "Individual Recipient": stable across publications, unrelated to any account.
 */
@Entity('open_data_recipient')
export class RecipientReference {
  @PrimaryColumn('uuid') awardId: string;
  @Index({ unique: true }) @Column('text') reference: string;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
}

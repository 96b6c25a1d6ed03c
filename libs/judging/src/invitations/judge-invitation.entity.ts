import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** An organiser's emailed invitation to judge; its link carries a single-use token. */
@Entity('judge_invitation')
@Index('judge_invitation_email_idx', ['email'])
export class JudgeInvitation {
  @PrimaryGeneratedColumn('uuid') id: string;
  /** Lower-cased. */
  @Column('text') email: string;
  @Column('text') firstName: string;
  @Column('text') lastName: string;
  @Column('uuid') invitedBy: string;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @Column({ type: 'timestamptz', nullable: true }) acceptedAt: Date | null;
  /** The account that became (or already was) the judge. */
  @Column({ type: 'uuid', nullable: true }) userId: string | null;
}

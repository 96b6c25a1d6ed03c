import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import type { BadgeImageMediaType } from './open-badges/index.js';

/** The badge categories of SPEC §2.5. */
export const BADGE_CATEGORIES = ['citizen', 'worker', 'maker', 'entrepreneur', 'gamer'] as const;
export type BadgeCategory = (typeof BADGE_CATEGORIES)[number];

export interface BadgeAlignment {
  targetName: string;
  targetUrl: string;
}

/** A badge of the catalogue (an Open Badges BadgeClass / Achievement). */
@Entity('badge_class')
@Index('badge_class_slug_key', ['slug'], { unique: true })
export class BadgeClass {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('text') slug: string;
  @Column('text') name: string;
  @Column('text') description: string;
  /** The criteria narrative. */
  @Column('text') criteria: string;
  @Column('text') category: BadgeCategory;
  @Column('int') points: number;
  @Column('text') imageType: BadgeImageMediaType;
  /** PNG bytes, or the sanitised SVG as UTF-8; loaded only when served (it is up to 256 KB). */
  @Column({ type: 'bytea', select: false }) image: Buffer;
  @Column({ default: false }) teacherAwardable: boolean;
  @Column({ type: 'jsonb', default: () => `'[]'` }) alignments: BadgeAlignment[];
  /** Created by the migration and awarded by domain events (SPEC §2.5). */
  @Column({ default: false }) builtIn: boolean;
  @Column({ type: 'uuid', nullable: true }) createdBy: string | null;
  /** Milliseconds, like the cursors of the catalogue's pages (the built-in badges share one instant). */
  @CreateDateColumn({ type: 'timestamptz', precision: 3 }) createdAt: Date;
}

/** An industry endorsement of a badge, published as an OB 2.0 Endorsement. */
@Entity('badge_endorsement')
@Index('badge_endorsement_badge_idx', ['badgeId', 'createdAt'])
export class BadgeEndorsement {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid') badgeId: string;
  @ManyToOne(() => BadgeClass, { onDelete: 'CASCADE' }) @JoinColumn({ name: 'badge_id' }) badge?: Relation<BadgeClass>;
  @Column('text') endorserName: string;
  @Column('text') endorserUrl: string;
  @Column('text') comment: string;
  @Column({ type: 'uuid', nullable: true }) createdBy: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
}

import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { School } from './school.entity.js';

/** A class of a school, with a join code pupils use to join it. */
@Entity('school_class')
@Check('school_class_join_code_check', `join_code ~ '^[BCDFGHJKLMNPQRSTVWXZ2-9]{8}$'`)
@Index('school_class_school_idx', ['schoolId'])
export class SchoolClass {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid') schoolId: string;
  @ManyToOne(() => School, { onDelete: 'CASCADE' }) @JoinColumn({ name: 'school_id' }) school?: Relation<School>;
  @Column('text') name: string;
  @Column({ type: 'text', nullable: true }) yearGroup: string | null;
  /** 8 characters of JOIN_CODE_ALPHABET, unique. */
  @Index('school_class_join_code_key', { unique: true }) @Column('text') joinCode: string;
  /** A locked class refuses joiners (423); its members are unaffected. */
  @Column({ default: false }) locked: boolean;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @Column('uuid') createdById: string;
}

/** A verified teacher of the class's school who teaches the class. */
@Entity('class_teacher')
export class ClassTeacher {
  @PrimaryColumn('uuid') classId: string;
  @ManyToOne(() => SchoolClass, { onDelete: 'CASCADE' }) @JoinColumn({ name: 'class_id' }) schoolClass?: Relation<SchoolClass>;
  @Index('class_teacher_teacher_idx') @PrimaryColumn('uuid') teacherId: string;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @Column({ type: 'uuid', nullable: true }) addedById: string | null;
}

export type StudentVia = 'join_code' | 'roster' | 'move';

/** A pupil in a class. */
@Entity('class_student')
@Check('class_student_via_check', `via IN ('join_code', 'roster', 'move')`)
export class ClassStudent {
  @PrimaryColumn('uuid') classId: string;
  @ManyToOne(() => SchoolClass, { onDelete: 'CASCADE' }) @JoinColumn({ name: 'class_id' }) schoolClass?: Relation<SchoolClass>;
  @Index('class_student_student_idx') @PrimaryColumn('uuid') studentId: string;
  @CreateDateColumn({ type: 'timestamptz' }) joinedAt: Date;
  @Column('text') via: StudentVia;
}

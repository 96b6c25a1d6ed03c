import type { EntityManager } from 'typeorm';

/**
 * What competitions need to know about classes (answered by schools' ClassRelations): teachers read
 * their students' ideas, and adults and under-18s may only team up within a class (SPEC §2.1).
 */
export abstract class Classrooms {
  /** True when both people are students (or a student and a teacher) of one class. */
  abstract shareAClass(userA: string, userB: string, manager?: EntityManager): Promise<boolean>;
  /** True when the user is a verified teacher of a class one of the students is in. */
  abstract teachesAnyOf(teacherId: string, studentIds: string[], manager?: EntityManager): Promise<boolean>;
  /** The students of every class the user is a verified teacher of. */
  abstract pupilsOf(teacherId: string, manager?: EntityManager): Promise<string[]>;
}

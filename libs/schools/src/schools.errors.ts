import { DomainError, type ErrorKind, type FieldError } from '@app/platform';

export class SchoolsError extends DomainError {
  constructor(kind: ErrorKind, code: string, message: string, extra: { errors?: FieldError[]; retryAfterSeconds?: number } = {}) {
    super(kind, code, message, extra);
  }

  static invalidFields(errors: FieldError[], code = 'VALIDATION_FAILED'): SchoolsError {
    return new SchoolsError('invalid', code, 'The request is not valid.', { errors });
  }
}

export const schoolNotFound = () => new SchoolsError('not_found', 'SCHOOL_NOT_FOUND', 'No such school.');
export const classNotFound = () => new SchoolsError('not_found', 'CLASS_NOT_FOUND', 'No such class.');
export const studentNotFound = () => new SchoolsError('not_found', 'STUDENT_NOT_FOUND', 'No such student in this class.');
export const teacherNotVerified = () =>
  new SchoolsError('forbidden', 'TEACHER_NOT_VERIFIED', 'This needs a teacher verified at their school.');
export const classFull = (cap: number) =>
  new SchoolsError('conflict', 'CLASS_FULL', `A class holds at most ${cap} students.`);

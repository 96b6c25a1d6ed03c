import { DomainError, type ErrorKind, type FieldError } from '@app/platform';

export class CompetitionsError extends DomainError {
  constructor(kind: ErrorKind, code: string, message: string, extra: { errors?: FieldError[] } = {}) {
    super(kind, code, message, extra);
  }
}

export const competitionNotFound = () => new CompetitionsError('not_found', 'COMPETITION_NOT_FOUND', 'No such competition.');
export const ideaNotFound = () => new CompetitionsError('not_found', 'IDEA_NOT_FOUND', 'No such idea.');
export const deadlinePassed = () =>
  new CompetitionsError('conflict', 'DEADLINE_PASSED', 'The competition has closed: ideas can no longer change.');

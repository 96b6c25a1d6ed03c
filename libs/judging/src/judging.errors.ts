import { DomainError, type ErrorKind, type FieldError } from '@app/platform';

/** Judging's domain errors: a kind (mapped to HTTP at the edge) and a stable code. */
export class JudgingError extends DomainError {
  constructor(kind: ErrorKind, code: string, message: string, extra: { errors?: FieldError[] } = {}) {
    super(kind, code, message, extra);
  }

  static invalidFields(errors: FieldError[], code = 'VALIDATION_FAILED', message = 'The request is not valid.'): JudgingError {
    return new JudgingError('invalid', code, message, { errors });
  }
}

export const roundNotFound = () => new JudgingError('not_found', 'ROUND_NOT_FOUND', 'No such round.');
export const assignmentNotFound = () => new JudgingError('not_found', 'ASSIGNMENT_NOT_FOUND', 'No such assignment.');
export const awardNotFound = () => new JudgingError('not_found', 'AWARD_NOT_FOUND', 'No such award.');
export const roundNotScoring = () =>
  new JudgingError('conflict', 'ROUND_NOT_SCORING', 'The round is not taking scores: scores can be saved only while it is scoring.');
export const wrongRoundStatus = (status: string, expected: string[]) =>
  new JudgingError('conflict', 'ROUND_WRONG_STATUS', `The round is ${status}; this needs it to be ${expected.join(' or ')}.`);

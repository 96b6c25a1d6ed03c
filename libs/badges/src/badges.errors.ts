import { DomainError, type ErrorKind, type FieldError } from '@app/platform';

export class BadgesError extends DomainError {
  constructor(kind: ErrorKind, code: string, message: string, extra: { errors?: FieldError[] } = {}) {
    super(kind, code, message, extra);
  }

  static invalidFields(errors: FieldError[]): BadgesError {
    return new BadgesError('invalid', 'VALIDATION_FAILED', 'The request is not valid.', { errors });
  }
}

export const badgeNotFound = () => new BadgesError('not_found', 'BADGE_NOT_FOUND', 'No such badge.');
export const awardNotFound = () => new BadgesError('not_found', 'BADGE_AWARD_NOT_FOUND', 'No such badge award.');
export const recipientNotFound = () => new BadgesError('not_found', 'RECIPIENT_NOT_FOUND', 'No such person.');
/** What a public Open Badges document answers when it does not exist or may not be shown (yet). */
export const documentNotFound = () => new BadgesError('not_found', 'NOT_FOUND', 'No such Open Badges document.');

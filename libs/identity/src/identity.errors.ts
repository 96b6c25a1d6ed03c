import { DomainError, type ErrorKind, type FieldError } from '@app/platform';

export class IdentityError extends DomainError {
  constructor(kind: ErrorKind, code: string, message: string, extra: { errors?: FieldError[]; retryAfterSeconds?: number } = {}) {
    super(kind, code, message, extra);
  }

  static invalidFields(errors: FieldError[]): IdentityError {
    return new IdentityError('invalid', 'VALIDATION_FAILED', 'The request is not valid.', { errors });
  }
}

export const INVALID_CREDENTIALS = () =>
  new IdentityError('unauthenticated', 'INVALID_CREDENTIALS', 'The login or password is not correct.');

/** An emailed link (verification, password reset) for an address the account no longer uses. */
export const LINK_FOR_OLD_ADDRESS = () =>
  new IdentityError('gone', 'TOKEN_EXPIRED', 'This link is for an address the account no longer uses.');

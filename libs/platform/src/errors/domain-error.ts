/**
 * What went wrong, in domain terms. The HTTP edge maps a kind to a status (problem-details filter);
 * libraries never speak HTTP.
 */
export type ErrorKind =
  | 'invalid' // the input breaks a rule (400)
  | 'unauthenticated' // no valid credentials (401)
  | 'forbidden' // known caller, not allowed (403)
  | 'not_found' // absent or not visible to the caller (404)
  | 'conflict' // the current state forbids it (409)
  | 'gone' // a used or expired single-use token (410)
  | 'unprocessable' // an idempotency key reused with another body (422)
  | 'locked' // the resource is locked (423)
  | 'unsupported' // a body of a media type the route does not take (415)
  | 'rate_limited' // too many attempts (429)
  | 'unavailable'; // a dependency is down; try again shortly (503)

export interface FieldError {
  field: string;
  message: string;
}

export class DomainError extends Error {
  constructor(
    readonly kind: ErrorKind,
    readonly code: string,
    message: string,
    readonly extra: { errors?: FieldError[]; retryAfterSeconds?: number } = {},
  ) {
    super(message);
    this.name = new.target.name;
  }

  static invalid(code: string, errors: FieldError[], message = 'The request is not valid.'): DomainError {
    return new DomainError('invalid', code, message, { errors });
  }
}

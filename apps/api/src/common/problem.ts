import { HttpException, HttpStatus } from '@nestjs/common';
import { DomainError, type ErrorKind, type FieldError } from '@app/platform';
import { randomUUID } from 'node:crypto';

/** RFC 9457 problem details, as every error of the API answers. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  errors?: FieldError[];
  errorId?: string;
}

const STATUS_OF: Record<ErrorKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  gone: 410,
  unprocessable: 422,
  locked: 423,
  unsupported: 415,
  rate_limited: 429,
  unavailable: 503,
};

const CODE_OF_STATUS: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  409: 'CONFLICT',
  410: 'GONE',
  413: 'PAYLOAD_TOO_LARGE',
  414: 'URI_TOO_LONG',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'UNPROCESSABLE',
  423: 'LOCKED',
  429: 'RATE_LIMITED',
  431: 'HEADERS_TOO_LARGE',
  500: 'INTERNAL_ERROR',
  503: 'UNAVAILABLE',
};

export const problemType = (code: string) => `https://young-ideas.example/problems/${code.toLowerCase().replace(/_/g, '-')}`;

export function problem(status: number, code: string, detail: string, errors?: FieldError[]): Problem {
  return {
    type: problemType(code),
    title: (HttpStatus[status] ?? 'Error').toString().replace(/_/g, ' ').toLowerCase().replace(/^./, (c) => c.toUpperCase()),
    status,
    detail,
    code,
    ...(errors?.length ? { errors } : {}),
  };
}

/** Errors raised by body-parser (express.json/text) before a route runs. */
interface ParserError {
  type?: string;
  status?: number;
  expose?: boolean;
}

export interface MappedProblem {
  problem: Problem;
  retryAfterSeconds?: number;
  /** The original error, for logging, when it was unexpected. */
  unexpected?: unknown;
}

/**
 * The database cannot be reached right now (no free pooled connection in time, refused, shutting down,
 * too many clients): a 503 to try again shortly, not a 500 — and never a 401 (see JwtAuthGuard).
 */
function databaseUnavailable(error: unknown): boolean {
  const e = error as { message?: unknown; code?: unknown } | null;
  if (!e || typeof e !== 'object') return false;
  if (typeof e.message === 'string' && /timeout exceeded when trying to connect|Connection terminated|connect ECONNREFUSED/.test(e.message)) return true;
  return typeof e.code === 'string' && ['ECONNREFUSED', '57P01', '57P03', '53300'].includes(e.code);
}

/** Maps any thrown value to problem details; unknown errors become a 500 with an error id and no internals. */
export function toProblem(error: unknown): MappedProblem {
  if (error instanceof DomainError) {
    return {
      problem: problem(STATUS_OF[error.kind], error.code, error.message, error.extra.errors),
      retryAfterSeconds: error.extra.retryAfterSeconds,
    };
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const body = error.getResponse();
    const message =
      typeof body === 'string'
        ? body
        : Array.isArray((body as { message?: unknown }).message)
          ? ((body as { message: string[] }).message.join('; '))
          : String((body as { message?: unknown }).message ?? error.message);
    return { problem: problem(status, CODE_OF_STATUS[status] ?? `HTTP_${status}`, message) };
  }
  const parser = error as ParserError;
  if (parser && typeof parser.type === 'string' && typeof parser.status === 'number' && parser.status < 500) {
    switch (parser.type) {
      case 'entity.too.large':
        return { problem: problem(413, 'PAYLOAD_TOO_LARGE', 'The request body is larger than 1 MB.') };
      case 'entity.parse.failed':
        return { problem: problem(400, 'MALFORMED_JSON', 'The request body is not valid JSON.') };
      case 'encoding.unsupported':
      case 'charset.unsupported':
        return { problem: problem(415, 'UNSUPPORTED_MEDIA_TYPE', 'The request body must be UTF-8.') };
      default:
        return { problem: problem(parser.status, CODE_OF_STATUS[parser.status] ?? 'BAD_REQUEST', 'The request could not be read.') };
    }
  }
  if (databaseUnavailable(error)) {
    return {
      problem: problem(503, 'TEMPORARILY_UNAVAILABLE', 'This is unavailable for a moment. Please try again shortly.'),
      retryAfterSeconds: 5,
      unexpected: error,
    };
  }
  const errorId = randomUUID();
  return {
    problem: { ...problem(500, 'INTERNAL_ERROR', `Something went wrong on our side. Quote error id ${errorId} if you contact us.`), errorId },
    unexpected: error,
  };
}

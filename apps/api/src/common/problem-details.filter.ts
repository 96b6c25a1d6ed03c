import { type ArgumentsHost, Catch, type ExceptionFilter, Logger } from '@nestjs/common';
import { serializeError } from '@app/platform';
import type { NextFunction, Request, Response } from 'express';
import { ReplayedResponse } from './idempotency.interceptor.js';
import { toProblem } from './problem.js';

const logger = new Logger('Problem');

/** Writes a thrown error as application/problem+json (unexpected errors are logged with an error id). */
export function sendProblem(error: unknown, res: Response): void {
  if (error instanceof ReplayedResponse) {
    const isProblem = error.status >= 400;
    res.status(error.status).setHeader('Idempotent-Replayed', 'true');
    if (error.body === null || error.body === undefined) res.end();
    else res.type(isProblem ? 'application/problem+json' : 'application/json').send(JSON.stringify(error.body));
    return;
  }
  const { problem, retryAfterSeconds, unexpected } = toProblem(error);
  if (unexpected) logger.error({ errorId: problem.errorId, err: serializeError(unexpected) }, 'unexpected error');
  if (res.headersSent) {
    res.end();
    return;
  }
  if (retryAfterSeconds) res.setHeader('Retry-After', String(retryAfterSeconds));
  res.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
}

@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    sendProblem(exception, host.switchToHttp().getResponse<Response>());
  }
}

/** The same, as Express error middleware for errors raised before Nest routes (body parsing). */
export function problemMiddleware(error: unknown, _req: Request, res: Response, _next: NextFunction): void {
  sendProblem(error, res);
}

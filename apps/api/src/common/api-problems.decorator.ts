import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { ProblemDto } from './problem.dto.js';

const DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid input: every bad field is listed in `errors`',
  401: 'Not signed in, or the credentials are not valid',
  403: 'Signed in but not allowed',
  404: 'Absent, or not visible to the caller',
  409: 'The current state does not allow it',
  410: 'The emailed link was used or has expired',
  413: 'Body over 1 MB',
  415: 'Unsupported body media type',
  422: 'Idempotency key reused with another body',
  423: 'Locked',
  429: 'Rate limited (see Retry-After)',
};

/** Documents one problem+json answer of a route, described for that route when the generic words say too little. */
export const ApiProblem = (status: number, description = DESCRIPTIONS[status] ?? 'Error') =>
  ApiResponse({ status, description, type: ProblemDto, content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/ProblemDto' } } } });

/** Documents the problem+json answers of a route. */
export const ApiProblems = (...statuses: number[]) => applyDecorators(...statuses.map((status) => ApiProblem(status)));

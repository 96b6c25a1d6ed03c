import { describe, expect, it } from '@jest/globals';
import { BadRequestException, NotFoundException } from '@nestjs/common';
import { DomainError } from '@app/platform';
import { toProblem } from './problem.js';

describe('problem details mapping', () => {
  it('maps domain error kinds to statuses, keeping code, fields and Retry-After', () => {
    const m = toProblem(new DomainError('rate_limited', 'TOO_MANY_ATTEMPTS', 'Slow down.', { retryAfterSeconds: 42 }));
    expect(m.problem).toMatchObject({ status: 429, code: 'TOO_MANY_ATTEMPTS', detail: 'Slow down.', title: 'Too many requests' });
    expect(m.retryAfterSeconds).toBe(42);
    const v = toProblem(DomainError.invalid('VALIDATION_FAILED', [{ field: 'email', message: 'bad' }]));
    expect(v.problem).toMatchObject({ status: 400, errors: [{ field: 'email', message: 'bad' }] });
    expect(toProblem(new DomainError('gone', 'TOKEN_USED', 'Used.')).problem.status).toBe(410);
    expect(toProblem(new DomainError('locked', 'CLASS_LOCKED', 'Locked.')).problem.status).toBe(423);
  });

  it('maps Nest HTTP exceptions and body-parser errors', () => {
    expect(toProblem(new NotFoundException('Cannot GET /x')).problem).toMatchObject({ status: 404, code: 'NOT_FOUND' });
    expect(toProblem(new BadRequestException(['a', 'b'])).problem.detail).toBe('a; b');
    expect(toProblem(Object.assign(new Error('x'), { type: 'entity.too.large', status: 413 })).problem.status).toBe(413);
    expect(toProblem(Object.assign(new Error('x'), { type: 'entity.parse.failed', status: 400 })).problem.code).toBe('MALFORMED_JSON');
  });

  it('answers an unreachable database with 503 and Retry-After, still logged', () => {
    for (const error of [
      new Error('timeout exceeded when trying to connect'),
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
      Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }),
      Object.assign(new Error('sorry, too many clients already'), { code: '53300' }),
    ]) {
      const m = toProblem(error);
      expect(m.problem).toMatchObject({ status: 503, code: 'TEMPORARILY_UNAVAILABLE' });
      expect(m.retryAfterSeconds).toBe(5);
      expect(m.unexpected).toBe(error);
    }
    expect(toProblem(Object.assign(new Error('duplicate key'), { code: '23505' })).problem.status).toBe(500);
  });

  it('answers anything else with a 500 carrying an error id and no internals', () => {
    const m = toProblem(new Error('password=hunter2 at db.query'));
    expect(m.problem.status).toBe(500);
    expect(m.problem.errorId).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.stringify(m.problem)).not.toContain('hunter2');
    expect(m.unexpected).toBeInstanceOf(Error);
  });
});

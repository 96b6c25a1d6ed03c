import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor, UseInterceptors, applyDecorators } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { type Observable, from, lastValueFrom } from 'rxjs';
import { DomainError, IdempotencyService } from '@app/platform';
import type { Principal } from '@app/identity';
import { toProblem } from './problem.js';

const KEY = /^[\x21-\x7e]{1,255}$/;

/** A stored answer to send again as it was (the problem-details filter writes it verbatim). */
export class ReplayedResponse {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {}
}

/**
 * Honours `Idempotency-Key` (SPEC §2.3): the first answer, errors included, is stored per user and
 * route for 24 h and replayed for a repeat; unexpected failures are forgotten so a retry runs again.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(private readonly idempotency: IdempotencyService) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    return from(this.handle(ctx, next));
  }

  private async handle(ctx: ExecutionContext, next: CallHandler): Promise<unknown> {
    const req = ctx.switchToHttp().getRequest<Request>();
    const key = req.header('idempotency-key');
    if (key === undefined) return lastValueFrom(next.handle(), { defaultValue: undefined });
    if (!KEY.test(key))
      throw DomainError.invalid('VALIDATION_FAILED', [{ field: 'Idempotency-Key', message: 'must be 1 to 255 visible ASCII characters' }]);
    const principal = req.user as Principal;
    const claim = await this.idempotency.claim({
      userId: principal.userId,
      route: `${req.method} ${(req.route as { path?: string } | undefined)?.path ?? req.path}`,
      key,
      request: { params: req.params, body: req.body ?? null },
    });
    if (claim.kind === 'replay') throw new ReplayedResponse(claim.status, claim.body);

    try {
      const body = await lastValueFrom(next.handle(), { defaultValue: undefined });
      await this.idempotency.complete(claim.id, ctx.switchToHttp().getResponse<Response>().statusCode, body);
      return body;
    } catch (error) {
      const { problem, unexpected } = toProblem(error);
      if (unexpected) await this.idempotency.release(claim.id);
      else await this.idempotency.complete(claim.id, problem.status, problem);
      throw error;
    }
  }
}

/** Marks a route as honouring Idempotency-Key. */
export const Idempotent = () =>
  applyDecorators(
    UseInterceptors(IdempotencyInterceptor),
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description: 'Repeat-safe retries: the first answer is replayed for 24 h; 409 while in progress; 422 with another body',
    }),
  );

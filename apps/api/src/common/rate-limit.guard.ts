import { type CanActivate, type ExecutionContext, Injectable, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AppConfig, DomainError, RedisClient } from '@app/platform';
import type { Principal } from '@app/identity';

// @nestjs/throttler is not used: it is CommonJS requiring the ESM-only @nestjs/common 12, which
// Jest's VM runtime cannot load on Node 20. The rule itself is this small guard.

// Fixed one-minute window, atomic in Redis so every API process shares the count.
const SCRIPT = `
local hits = redis.call('INCR', KEYS[1])
if hits == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return {hits, redis.call('PTTL', KEYS[1])}`;
const WINDOW_MS = 60_000;

/**
 * Global, after authentication (SPEC §3): signed-in requests are limited per account; unauthenticated
 * ones per IP, generously, since a whole school shares one address.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  private readonly logger = new Logger(RateLimitGuard.name);

  constructor(
    private readonly client: RedisClient,
    private readonly config: AppConfig,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const req = ctx.switchToHttp().getRequest<Request>();
    const res = ctx.switchToHttp().getResponse<Response>();
    const principal = req.user as Principal | undefined;
    const [key, limit] = principal
      ? [`rl:account:${principal.userId}`, this.config.http.rateLimitAccountPerMinute]
      : [`rl:ip:${req.ip ?? 'unknown'}`, this.config.http.rateLimitIpPerMinute];
    let hits: number;
    let ttlMs: number;
    try {
      [hits, ttlMs] = (await this.client.redis.eval(SCRIPT, 1, key, WINDOW_MS)) as number[];
    } catch (error) {
      // Fail open: a Redis outage must not take the whole API down with it (sign-in stays protected
      // by its own counters, which fail closed).
      this.logger.warn({ err: error }, 'rate limit store unavailable; request let through');
      return true;
    }
    const resetSeconds = Math.max(1, Math.ceil(ttlMs / 1000));
    res.setHeader('RateLimit-Limit', String(limit));
    res.setHeader('RateLimit-Remaining', String(Math.max(0, limit - hits)));
    res.setHeader('RateLimit-Reset', String(resetSeconds));
    if (hits <= limit) return true;
    throw new DomainError('rate_limited', 'RATE_LIMITED', 'Too many requests. Slow down and try again shortly.', {
      retryAfterSeconds: resetSeconds,
    });
  }
}

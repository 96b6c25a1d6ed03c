import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Clock } from '../clock/clock.js';
import { DomainError } from '../errors/domain-error.js';
import { RedisClient } from '../redis/redis.js';

export interface WindowCount {
  count: number;
  /** Seconds until the oldest attempt leaves the window (0 when empty). */
  retryAfterSeconds: number;
}

/**
 * Counts events (failed sign-ins, failed joins, consent requests) in a sliding window, in Redis so that
 * every API process sees the same numbers.
 */
@Injectable()
export class AttemptCounter {
  constructor(
    private readonly client: RedisClient,
    private readonly clock: Clock,
  ) {}

  /**
   * Adds an attempt and returns the count with it, counted in the same atomic step: concurrent callers
   * each see a different count, so "record, then refuse past N" lets exactly N through.
   */
  async record(key: string, windowMs: number): Promise<WindowCount> {
    const now = this.clock.now().getTime();
    const k = `attempts:${key}`;
    const res = await guard(
      this.client.redis
        .multi()
        .zremrangebyscore(k, 0, now - windowMs)
        .zadd(k, now, `${now}:${randomUUID()}`)
        .pexpire(k, windowMs)
        .zcard(k)
        .zrange(k, 0, 0, 'WITHSCORES')
        .exec(),
    );
    return windowCount(res?.slice(3), windowMs, now);
  }

  async count(key: string, windowMs: number): Promise<WindowCount> {
    const now = this.clock.now().getTime();
    const k = `attempts:${key}`;
    const res = await guard(this.client.redis.multi().zremrangebyscore(k, 0, now - windowMs).zcard(k).zrange(k, 0, 0, 'WITHSCORES').exec());
    return windowCount(res?.slice(1), windowMs, now);
  }

  async clear(key: string): Promise<void> {
    await guard(this.client.redis.del(`attempts:${key}`));
  }
}

/** The replies of ZCARD and ZRANGE 0 0 WITHSCORES, in that order. */
function windowCount(replies: [Error | null, unknown][] | undefined, windowMs: number, now: number): WindowCount {
  const count = Number(replies?.[0]?.[1] ?? 0);
  const oldest = (replies?.[1]?.[1] as string[] | undefined)?.[1];
  const retryAfterSeconds = oldest ? Math.max(1, Math.ceil((Number(oldest) + windowMs - now) / 1000)) : 0;
  return { count, retryAfterSeconds };
}

/** Counters fail closed: without them, a limit cannot be enforced, so the action waits. */
async function guard<T>(operation: Promise<T>): Promise<T> {
  try {
    return await operation;
  } catch {
    throw new DomainError('unavailable', 'TEMPORARILY_UNAVAILABLE', 'This is unavailable for a moment. Please try again shortly.', {
      retryAfterSeconds: 30,
    });
  }
}

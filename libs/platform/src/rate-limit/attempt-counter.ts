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

/** A place taken in a window by reserve(). */
export interface Reservation {
  /** False when the window was already full: nothing was taken, and retryAfterSeconds says for how long. */
  granted: boolean;
  retryAfterSeconds: number;
  /** Gives the place back, for an attempt that turned out not to count (no-op when not granted). */
  release(): Promise<void>;
}

/** Drops what left the window, then adds the attempt unless the window is full (answering its oldest score then). */
const RESERVE = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], 0, ARGV[1] - ARGV[2])
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then return redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')[2] end
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[4])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return false`;

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

  /**
   * Takes one of `max` places in the window before the attempt is made, in one step, so parallel attempts
   * cannot all pass a count taken before any of them is recorded. The place stands as the attempt unless released.
   */
  async reserve(key: string, windowMs: number, max: number): Promise<Reservation> {
    const now = this.clock.now().getTime();
    const k = `attempts:${key}`;
    const member = `${now}:${randomUUID()}`;
    const oldest = (await guard(this.client.redis.eval(RESERVE, 1, k, now, windowMs, max, member))) as string | null;
    if (oldest !== null) return { granted: false, retryAfterSeconds: retryAfter(oldest, windowMs, now), release: async () => {} };
    const release = async () => {
      await guard(this.client.redis.zrem(k, member));
    };
    return { granted: true, retryAfterSeconds: 0, release };
  }

  async clear(key: string): Promise<void> {
    await guard(this.client.redis.del(`attempts:${key}`));
  }
}

/** The replies of ZCARD and ZRANGE 0 0 WITHSCORES, in that order. */
function windowCount(replies: [Error | null, unknown][] | undefined, windowMs: number, now: number): WindowCount {
  const count = Number(replies?.[0]?.[1] ?? 0);
  return { count, retryAfterSeconds: retryAfter((replies?.[1]?.[1] as string[] | undefined)?.[1], windowMs, now) };
}

function retryAfter(oldestScore: string | undefined | null, windowMs: number, now: number): number {
  return oldestScore ? Math.max(1, Math.ceil((Number(oldestScore) + windowMs - now) / 1000)) : 0;
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

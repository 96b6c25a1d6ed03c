import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { testConfig } from '../../../../test/support/test-env.js';
import { Clock } from '../clock/clock.js';
import { RedisClient } from '../redis/redis.js';
import { AttemptCounter } from './attempt-counter.js';

describe('AttemptCounter (real Redis)', () => {
  let client: RedisClient;
  let counter: AttemptCounter;
  beforeAll(async () => {
    client = new RedisClient(await testConfig());
    counter = new AttemptCounter(client, new Clock());
  });
  afterAll(async () => {
    await client?.onApplicationShutdown();
  });

  it('record() counts its own attempt atomically: concurrent callers each see a different count', async () => {
    const key = randomUUID();
    const counts = await Promise.all(Array.from({ length: 12 }, () => counter.record(key, 60_000)));
    expect(counts.map((c) => c.count).sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    expect(counts.every((c) => c.retryAfterSeconds > 0 && c.retryAfterSeconds <= 60)).toBe(true);
    expect(await counter.count(key, 60_000)).toEqual({ count: 12, retryAfterSeconds: expect.any(Number) });
  });

  it('forgets attempts older than the window', async () => {
    const key = randomUUID();
    const clock = new Clock();
    const moving = new AttemptCounter(client, clock);
    await moving.record(key, 60_000);
    clock.advance(61_000);
    expect(await moving.record(key, 60_000)).toEqual({ count: 1, retryAfterSeconds: 60 });
  });
});

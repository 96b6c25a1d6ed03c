import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestApp, type TestApp } from './support/test-app.js';
import { anEntrant, session } from './support/builders.js';

describe('request rate limits', () => {
  let t: TestApp;
  let a: Record<string, string>;
  let b: Record<string, string>;
  beforeAll(async () => {
    t = await startTestApp({ worker: false, env: { RATE_LIMIT_IP_PER_MINUTE: '30', RATE_LIMIT_ACCOUNT_PER_MINUTE: '40' } });
    a = (await session(t, await anEntrant(t))).auth;
    b = (await session(t, await anEntrant(t))).auth;
  });
  afterAll(async () => {
    await t?.close();
  });

  it('limits unauthenticated requests per IP, with Retry-After', async () => {
    const first = await t.http().get('/health/live').expect(200);
    expect(first.headers['ratelimit-limit']).toBe('30');
    const remaining = Number(first.headers['ratelimit-remaining']);
    for (let i = 0; i < remaining; i++) await t.http().get('/health/live').expect(200);
    const limited = await t.http().get('/health/live').expect(429);
    expect(limited.body.code).toBe('RATE_LIMITED');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('limits signed-in requests per account, not per IP: classmates on the same (exhausted) address carry on', async () => {
    await t.http().get('/health/live').expect(429); // the shared address is over its unauthenticated limit
    for (let i = 0; i < 40; i++) await t.http().get('/api/v1/me').set(a).expect(200);
    const limited = await t.http().get('/api/v1/me').set(a).expect(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    await t.http().get('/api/v1/me').set(b).expect(200);
  });
});

describe('sign-in failures from one address', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ worker: false });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('after 100 failures in 15 minutes from one IP, sign-in answers 429 there (successes do not count)', async () => {
    const user = await anEntrant(t);
    for (let round = 0; round < 3; round++) await session(t, user); // successful sign-ins never count
    const attempts = Array.from({ length: 100 }, (_, i) => t.http().post('/api/v1/auth/login').send({ login: `nobody${i}@example.com`, password: 'wrong-password-1' }));
    const statuses = (await Promise.all(attempts)).map((r) => r.status);
    expect(statuses.every((s) => s === 401)).toBe(true);
    const res = await t.http().post('/api/v1/auth/login').send({ login: user.email, password: user.password }).expect(429);
    expect(res.body.code).toBe('TOO_MANY_ATTEMPTS');
    t.clock.advance(15 * 60_000 + 1000);
    try {
      await t.http().post('/api/v1/auth/login').send({ login: user.email, password: user.password }).expect(200);
    } finally {
      t.clock.reset();
    }
  });
});

describe('sign-in failures for one account', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ worker: false });
  });
  afterAll(async () => {
    await t?.close();
  });
  const login = (login: string, password: string) => t.http().post('/api/v1/auth/login').send({ login, password });

  it('of 40 wrong passwords sent at once, only 5 are checked (401), the rest 429; then even the right one waits 15 minutes', async () => {
    const user = await anEntrant(t);
    const statuses = (await Promise.all(Array.from({ length: 40 }, () => login(user.email!, 'wrong-password-1')))).map((r) => r.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(35);
    const locked = await login(user.email!, user.password).expect(429);
    expect(locked.body.code).toBe('TOO_MANY_ATTEMPTS');
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    t.clock.advance(15 * 60_000 + 1000);
    try {
      await login(user.email!, user.password).expect(200);
    } finally {
      t.clock.reset();
    }
  });

  it('counts per account: its email and username share the 5 tries; an unknown login gets 5 of its own, alike', async () => {
    const user = await anEntrant(t);
    for (let i = 0; i < 3; i++) await login(user.email!, 'wrong-password-1').expect(401);
    for (let i = 0; i < 2; i++) await login(user.username, 'wrong-password-1').expect(401);
    for (const l of [user.username, user.email!.toUpperCase()]) expect((await login(l, user.password).expect(429)).body.code).toBe('TOO_MANY_ATTEMPTS');
    for (let i = 0; i < 5; i++) await login('nobody-here@example.com', 'wrong-password-1').expect(401);
    await login('nobody-here@example.com', 'wrong-password-1').expect(429);
  });
});

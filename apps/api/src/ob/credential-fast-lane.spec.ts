import { describe, expect, it } from '@jest/globals';
import express from 'express';
import helmet from 'helmet';
import { createServer } from 'node:http';
import request from 'supertest';
import { DocumentCache } from '@app/badges';
import { LocalRateLimit, credentialFastLane, installFastLane } from './credential-fast-lane.js';

const ID = '7d0c1b7e-7a0e-4f7c-9a55-0f1e2d3c4b5a';
const BODY = '{"id":"http://young-ideas.test/ob/v3/credentials/7d0c1b7e-7a0e-4f7c-9a55-0f1e2d3c4b5a"}';

function serverWith(options: { limit?: number; trustProxy?: boolean } = {}) {
  const cache = new DocumentCache(10, 60_000);
  cache.set(ID, BODY);
  const app = express();
  app.set('trust proxy', options.trustProxy ?? false);
  app.use((_req, res) => {
    res.status(299).send('from the application');
  });
  const server = createServer(app);
  installFastLane(
    server,
    app,
    credentialFastLane({ cachedCredential: (id) => cache.get(id) }, { security: helmet(), rateLimitPerMinute: options.limit ?? 100, cacheControl: 'public, max-age=60' }),
  );
  return { server, cache };
}

describe('the credential fast lane', () => {
  it('answers a cached credential with its bytes, ETag and the security and public headers', async () => {
    const { server, cache } = serverWith();
    const res = await request(server).get(`/ob/v3/credentials/${ID}`).expect(200);
    expect(res.text).toBe(BODY);
    expect(res.headers).toMatchObject({
      'content-type': 'application/vc+ld+json; charset=utf-8',
      'content-length': String(Buffer.byteLength(BODY)),
      etag: cache.get(ID)!.etag,
      'content-security-policy': "default-src 'none'",
      'x-content-type-options': 'nosniff',
      'strict-transport-security': expect.stringContaining('max-age='),
      'x-frame-options': 'SAMEORIGIN',
      'access-control-allow-origin': '*',
      'cross-origin-resource-policy': 'cross-origin',
      'cache-control': 'public, max-age=60',
      'ratelimit-limit': '100',
      'ratelimit-remaining': '99',
    });
    // An upper-case id names the same credential.
    expect((await request(server).get(`/ob/v3/credentials/${ID.toUpperCase()}`).expect(200)).text).toBe(BODY);
  });

  it('answers 304 to a matching If-None-Match, and HEAD without a body', async () => {
    const { server, cache } = serverWith();
    const etag = cache.get(ID)!.etag;
    const notModified = await request(server).get(`/ob/v3/credentials/${ID}`).set('If-None-Match', etag).expect(304);
    expect(notModified.text).toBe('');
    const head = await request(server).head(`/ob/v3/credentials/${ID}`).expect(200);
    expect(head.headers['content-length']).toBe(String(Buffer.byteLength(BODY)));
    expect(head.text).toBeUndefined();
  });

  it('leaves everything else to the application: misses, other methods, other paths, queries', async () => {
    const { server } = serverWith();
    for (const req of [
      request(server).get('/ob/v3/credentials/00000000-0000-4000-8000-000000000000'),
      request(server).post(`/ob/v3/credentials/${ID}`),
      request(server).get(`/ob/v3/credentials/${ID}/image`),
      request(server).get(`/ob/v3/credentials/${ID}?x=1`),
      request(server).get('/api/v1/badges'),
    ]) {
      const res = await req;
      expect([res.status, res.text]).toEqual([299, 'from the application']);
    }
  });

  it('limits each client address per minute (429 problem with Retry-After), addresses as Express resolves them', async () => {
    const { server } = serverWith({ limit: 2, trustProxy: true });
    const get = (ip: string) => request(server).get(`/ob/v3/credentials/${ID}`).set('X-Forwarded-For', ip);
    await get('203.0.113.7').expect(200);
    await get('203.0.113.7').expect(200);
    const limited = await get('203.0.113.7').expect(429);
    expect(limited.headers['content-type']).toBe('application/problem+json');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.headers['cache-control']).toBe('no-store');
    expect(JSON.parse(limited.text)).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
    await get('198.51.100.4').expect(200);
  });
});

describe('the local rate limit', () => {
  it('counts a fixed one-minute window per key, then starts again', () => {
    let now = 1_000_000;
    const limit = new LocalRateLimit(2, () => now);
    expect([limit.hit('a').allowed, limit.hit('a').allowed, limit.hit('a').allowed, limit.hit('b').allowed]).toEqual([true, true, false, true]);
    expect(limit.hit('a')).toMatchObject({ remaining: 0, resetSeconds: 60 });
    now += 60_000;
    expect(limit.hit('a')).toMatchObject({ allowed: true, remaining: 1 });
  });
});

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { startTestApp, type TestApp } from './support/test-app.js';
import { aTeacher, anEntrant, session } from './support/builders.js';

let t: TestApp;
let port: number;
beforeAll(async () => {
  t = await startTestApp({ worker: false, env: { CORS_ORIGINS: 'https://app.young-ideas.test' } });
  await new Promise<void>((resolve) => t.app.getHttpServer().listen(0, '127.0.0.1', resolve));
  port = (t.app.getHttpServer().address() as AddressInfo).port;
});
afterAll(async () => {
  await t?.close();
});

const expectProblem = (res: { status: number; headers: Record<string, string>; body: Record<string, unknown> }, status: number, code?: string) => {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ status, type: expect.any(String), title: expect.any(String), detail: expect.any(String), code: code ?? expect.any(String) });
};

/** A raw HTTP exchange, for requests supertest would refuse to send. */
function raw(head: string): Promise<{ status: number; body: string; headers: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(head));
    let data = '';
    socket.on('data', (c: Buffer) => (data += c.toString()));
    socket.on('end', () => {
      const [headers, body] = data.split('\r\n\r\n');
      resolve({ status: Number(headers.split(' ')[1]), headers, body });
    });
    socket.on('error', reject);
  });
}

describe('every error is problem+json, never a 500', () => {
  it('malformed JSON → 400', async () => {
    const res = await t.http().post('/api/v1/auth/register').set('Content-Type', 'application/json').send('{"accountType": ');
    expectProblem(res, 400, 'MALFORMED_JSON');
  });

  it('a body of another media type → 415', async () => {
    const res = await t.http().post('/api/v1/auth/register').set('Content-Type', 'text/plain').send('hello');
    expectProblem(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
  });

  it('an unknown field → 400 naming it', async () => {
    const res = await t.http().post('/api/v1/auth/login').send({ login: 'a@example.com', password: 'x', isAdmin: true });
    expectProblem(res, 400, 'VALIDATION_FAILED');
    expect(res.body.errors).toEqual(expect.arrayContaining([{ field: 'isAdmin', message: expect.stringMatching(/not an accepted field/) }]));
  });

  it('a body over 1 MB → 413', async () => {
    const res = await t.http().post('/api/v1/auth/login').set('Content-Type', 'application/json').send(JSON.stringify({ login: 'x'.repeat(1_100_000), password: 'y' }));
    expectProblem(res, 413, 'PAYLOAD_TOO_LARGE');
  });

  it('a string holding U+0000 → 400 naming the field', async () => {
    const res = await t.http().post('/api/v1/auth/login').send({ login: 'amira\u0000@example.com', password: 'whatever-pass' });
    expectProblem(res, 400, 'VALIDATION_FAILED');
    expect(res.body.errors).toEqual([{ field: 'login', message: expect.stringMatching(/NUL/) }]);
  });

  it('a string holding half of a surrogate pair → 400 naming the field, on every route that checks an email too', async () => {
    // JSON's \ud800 escape decodes to a lone surrogate, which no email validator should see (it threw: a 500).
    const body = '{"email":"a\\ud800@example.com","password":"a long enough passphrase 42","firstName":"Amira","lastName":"Khan","dateOfBirth":"2008-01-01","region":"london"}';
    const res = await t.http().post('/api/v1/auth/register').set('Content-Type', 'application/json').send(body);
    expectProblem(res, 400, 'VALIDATION_FAILED');
    expect(res.body.errors).toEqual([{ field: 'email', message: expect.stringMatching(/surrogate/) }]);
    const forgot = await t.http().post('/api/v1/auth/password/forgot').set('Content-Type', 'application/json').send('{"email":"\\udc00x@example.com"}');
    expectProblem(forgot, 400, 'VALIDATION_FAILED');
    // A proper pair (an emoji) passes: an unknown login, not bad input.
    expectProblem(await t.http().post('/api/v1/auth/login').send({ login: 'amira🚀', password: 'whatever-pass' }), 401, 'INVALID_CREDENTIALS');
  });

  it('a non-UUID id → 400', async () => {
    const user = await anEntrant(t);
    const { auth } = await session(t, user);
    const res = await t.http().post('/api/v1/me/notifications/not-a-uuid/read').set(auth);
    expectProblem(res, 400, 'VALIDATION_FAILED');
    expect(res.body.errors[0].field).toBe('id');
  });

  it('an unknown route → 404', async () => {
    expectProblem(await t.http().get('/api/v1/nothing-here'), 404, 'NOT_FOUND');
  });

  it('an oversized URL → 414', async () => {
    expectProblem(await t.http().get(`/api/v1/competitions?q=${'a'.repeat(9000)}`), 414, 'URI_TOO_LONG');
  });

  it('oversized headers (rejected by Node before routing) → 431 problem+json', async () => {
    const res = await raw(`GET /api/v1/me HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    expect(res.status).toBe(431);
    expect(res.headers).toMatch(/Content-Type: application\/problem\+json/i);
    expect(JSON.parse(res.body)).toMatchObject({ status: 431, code: 'HEADERS_TOO_LARGE' });
  });

  it('garbage instead of HTTP → 400 problem+json', async () => {
    const res = await raw('HELLO THERE\r\n\r\n');
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body)).toMatchObject({ status: 400, code: 'BAD_REQUEST' });
  });
});

describe('authentication and authorisation', () => {
  it('no token → 401; a forged token → 401', async () => {
    expectProblem(await t.http().get('/api/v1/me'), 401, 'UNAUTHENTICATED');
    const forged = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4Iiwic2lkIjoieSIsImV4cCI6OTk5OTk5OTk5OX0.c2lnbmF0dXJl';
    expectProblem(await t.http().get('/api/v1/me').set('Authorization', `Bearer ${forged}`), 401, 'UNAUTHENTICATED');
  });

  it('a teacher token on an organiser endpoint → 403, decided before the (invalid) body is validated', async () => {
    const teacher = await aTeacher(t);
    const { auth } = await session(t, teacher);
    expectProblem(await t.http().post('/api/v1/organisers').set(auth).send({ nonsense: true }), 403, 'ROLE_REQUIRED');
    expectProblem(await t.http().get('/api/v1/audit').set(auth), 403, 'ROLE_REQUIRED');
  });
});

describe('headers', () => {
  it('sends security headers and a request id, and honours a sane X-Request-Id', async () => {
    const res = await t.http().get('/health/live').set('X-Request-Id', 'req-12345678').expect(200);
    expect(res.headers['x-request-id']).toBe('req-12345678');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['strict-transport-security']).toBeDefined();
    expect(res.headers['x-powered-by']).toBeUndefined();
    const other = await t.http().get('/health/live').set('X-Request-Id', 'bad id with spaces').expect(200);
    expect(other.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('allows CORS only for configured origins', async () => {
    const ok = await t.http().options('/api/v1/auth/login').set('Origin', 'https://app.young-ideas.test').set('Access-Control-Request-Method', 'POST');
    expect(ok.headers['access-control-allow-origin']).toBe('https://app.young-ideas.test');
    const no = await t.http().options('/api/v1/auth/login').set('Origin', 'https://evil.example').set('Access-Control-Request-Method', 'POST');
    expect(no.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('health and OpenAPI', () => {
  it('is ready when PostgreSQL and Redis answer', async () => {
    const res = await t.http().get('/health/ready').expect(200);
    expect(res.body.details).toMatchObject({ database: { status: 'up' }, redis: { status: 'up' } });
  });

  it('describes every endpoint with its auth and problem responses', async () => {
    const doc = (await t.http().get('/api/docs-json').expect(200)).body;
    expect(doc.openapi).toMatch(/^3\./);
    const paths = Object.keys(doc.paths);
    for (const p of ['/api/v1/auth/register', '/api/v1/auth/login', '/api/v1/auth/refresh', '/api/v1/auth/logout', '/api/v1/auth/verify-email',
      '/api/v1/auth/password/forgot', '/api/v1/auth/password/reset', '/api/v1/auth/password/change', '/api/v1/me', '/api/v1/audit', '/api/v1/organisers'])
      expect(paths).toContain(p);
    expect(doc.paths['/api/v1/me'].get.security).toEqual([{ bearer: [] }]);
    expect(doc.paths['/api/v1/auth/register'].post.security).toBeUndefined();
    expect(doc.paths['/api/v1/auth/register'].post.responses['409']).toBeDefined();
    expect(doc.components.schemas.ProblemDto).toBeDefined();
    await t.http().get('/api/docs').expect(200).expect('Content-Type', /html/);
  });
});

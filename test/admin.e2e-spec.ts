import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestApp, type TestApp } from './support/test-app.js';
import { aTeacher, anOrganiser, session } from './support/builders.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ worker: false });
});
afterAll(async () => {
  await t?.close();
});

describe('Bull Board for operators', () => {
  it('opens with an HttpOnly, SameSite=Strict cookie from POST /admin/session, and closes with the session', async () => {
    await t.http().get('/admin/queues').expect(401);
    const org = await anOrganiser(t);
    const res = await t.http().post('/admin/session').set(org.auth).expect(204);
    const cookie = res.headers['set-cookie'][0] as string;
    expect(cookie).toMatch(/^yi_admin=[^;]+;/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(/Path=\/admin/);
    const board = await t.http().get('/admin/queues').set('Cookie', cookie.split(';')[0]).expect(200);
    expect(board.text).toMatch(/<html/i);
    const api = await t.http().get('/admin/queues/api/queues').set('Cookie', cookie.split(';')[0]).expect(200);
    expect(api.body.queues.map((q: { name: string }) => q.name)).toEqual(expect.arrayContaining(['notifications', 'maintenance']));

    await t.http().post('/api/v1/auth/logout').set(org.auth).send({}).expect(204);
    await t.http().get('/admin/queues').set('Cookie', cookie.split(';')[0]).expect(401);
  });

  it('is refused to non-organisers and to forged cookies', async () => {
    const teacher = await aTeacher(t);
    await t.http().post('/admin/session').set((await session(t, teacher)).auth).expect(403);
    await t.http().post('/admin/session').expect(401);
    await t.http().get('/admin/queues').set('Cookie', 'yi_admin=eyJhbGciOiJIUzI1NiJ9.e30.x').expect(401);
  });
});

import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { AuthService } from '@app/identity';
import { startTestApp, type TestApp } from './support/test-app.js';
import { PASSWORD, aSignedInEntrant, bornYearsAgo, errorFields, register, signIn } from './support/builders.js';
import { tokenFrom } from './support/mail-capture.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

describe('registration', () => {
  it('registers a 15-year-old entrant with private defaults and emails a verification link', async () => {
    const user = await register(t, { email: 'Teen.Entrant@Example.com', dateOfBirth: bornYearsAgo(15) });
    expect(user.body).toMatchObject({
      email: 'teen.entrant@example.com',
      roles: ['entrant'],
      ageBand: '13-17',
      consentStatus: 'not_required',
      emailVerified: false,
      displayName: 'Amira K.',
      privacy: { profileVisibility: 'private', marketingOptIn: false },
      points: 0,
      level: null,
    });
    const mail = await t.mail.waitFor('teen.entrant@example.com');
    expect(mail.subject).toMatch(/confirm/i);
    expect(mail.messageId).toMatch(/@young-ideas\.test>$/);
    const token = tokenFrom(mail, 'verify-email');
    await t.http().post('/api/v1/auth/verify-email').send({ token }).expect(204);
    const { accessToken } = await signIn(t, 'teen.entrant@example.com');
    const me = await t.http().get('/api/v1/me').set('Authorization', `Bearer ${accessToken}`).expect(200);
    expect(me.body.emailVerified).toBe(true);
    // single use
    const again = await t.http().post('/api/v1/auth/verify-email').send({ token }).expect(410);
    expect(again.body.code).toBe('TOKEN_USED');
  });

  it('refuses a duplicate email with 409', async () => {
    await register(t, { email: 'dup@example.com' });
    const res = await t.http().post('/api/v1/auth/register').send({ ...baseBody(), email: 'DUP@example.com' }).expect(409);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.code).toBe('EMAIL_TAKEN');
  });

  it('refuses weak and common passwords', async () => {
    for (const password of ['short1', 'password123', 'qwertyuiop']) {
      const res = await t.http().post('/api/v1/auth/register').send({ ...baseBody(), password }).expect(400);
      expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'password' })]));
    }
  });

  it.each([
    ['an entrant under 11', { dateOfBirth: bornYearsAgo(10) }, 'dateOfBirth'],
    ['an entrant over 25', { dateOfBirth: bornYearsAgo(26) }, 'dateOfBirth'],
    ['a teacher under 18', { accountType: 'teacher', dateOfBirth: bornYearsAgo(17) }, 'dateOfBirth'],
    ['an under-13 without parentEmail', { dateOfBirth: bornYearsAgo(12), email: undefined }, 'parentEmail'],
    ['a 13+ entrant without email', { email: undefined }, 'email'],
    ['an impossible date', { dateOfBirth: '2011-02-30' }, 'dateOfBirth'],
    ['an unknown region', { region: 'atlantis' }, 'region'],
  ])('refuses %s with 400 naming the field', async (_name, overrides, field) => {
    const res = await t.http().post('/api/v1/auth/register').send({ ...baseBody(), ...overrides }).expect(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  it('registers an under-13 with a parent address as consent pending, without email', async () => {
    const user = await register(t, { email: undefined, dateOfBirth: bornYearsAgo(12), parentEmail: 'parent@example.com' });
    expect(user.body).toMatchObject({ ageBand: 'U13', consentStatus: 'pending', email: null });
    expect(user.username).toMatch(/^amira\.k\d+$/);
  });

  it('lists every bad field at once', async () => {
    const res = await t.http().post('/api/v1/auth/register').send({ accountType: 'pirate', firstName: '', region: 'nowhere' }).expect(400);
    const fields = new Set(res.body.errors.map((e: { field: string }) => e.field));
    for (const f of ['accountType', 'password', 'firstName', 'lastName', 'dateOfBirth', 'region']) expect(fields).toContain(f);
  });
});

describe('sign-in, refresh and logout', () => {
  it('signs in by username too, refreshes with rotation and revokes the family on reuse', async () => {
    const user = await register(t);
    const first = await signIn(t, user.username);
    expect(first).toMatchObject({ tokenType: 'Bearer', expiresIn: 900, mustChangePassword: false });

    const second = await t.http().post('/api/v1/auth/refresh').send({ refreshToken: first.refreshToken }).expect(200);
    expect(second.body.refreshToken).not.toBe(first.refreshToken);
    await t.http().get('/api/v1/me').set('Authorization', `Bearer ${second.body.accessToken}`).expect(200);

    // The spent token again: the whole session ends, including the newest tokens.
    const reuse = await t.http().post('/api/v1/auth/refresh').send({ refreshToken: first.refreshToken }).expect(401);
    expect(reuse.body.code).toBe('INVALID_REFRESH_TOKEN');
    await t.http().get('/api/v1/me').set('Authorization', `Bearer ${second.body.accessToken}`).expect(401);
    await t.http().post('/api/v1/auth/refresh').send({ refreshToken: second.body.refreshToken }).expect(401);
    // Any string that is no live refresh token is a 401, short or not; a missing one is bad input.
    expect((await t.http().post('/api/v1/auth/refresh').send({ refreshToken: 'garbage' }).expect(401)).body.code).toBe('INVALID_REFRESH_TOKEN');
    await t.http().post('/api/v1/auth/refresh').send({}).expect(400);
  });

  it('answers the same 401 for a wrong password and an unknown login', async () => {
    const user = await register(t);
    const wrong = await t.http().post('/api/v1/auth/login').send({ login: user.email, password: 'not-the-password-1' }).expect(401);
    const unknown = await t.http().post('/api/v1/auth/login').send({ login: 'nobody@example.com', password: 'not-the-password-1' }).expect(401);
    expect(wrong.body).toEqual(unknown.body);
  });

  it('locks a login out after 5 failures in 15 minutes with Retry-After, even for the right password', async () => {
    const user = await register(t);
    for (let i = 0; i < 5; i++) await t.http().post('/api/v1/auth/login').send({ login: user.email, password: 'wrong-password-xx' }).expect(401);
    const locked = await t.http().post('/api/v1/auth/login').send({ login: user.email, password: PASSWORD }).expect(429);
    expect(locked.body.code).toBe('TOO_MANY_ATTEMPTS');
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    t.clock.advance(15 * 60_000 + 1000);
    try {
      await signIn(t, user.email!);
    } finally {
      t.clock.reset();
    }
  });

  it('ends the session at logout and refuses an expired access token', async () => {
    const user = await register(t);
    const tokens = await signIn(t, user.email!);
    const auth = { Authorization: `Bearer ${tokens.accessToken}` };
    t.clock.advance(16 * 60_000);
    await t.http().get('/api/v1/me').set(auth).expect(401);
    t.clock.reset();
    await t.http().post('/api/v1/auth/logout').set(auth).send({ refreshToken: tokens.refreshToken }).expect(204);
    await t.http().get('/api/v1/me').set(auth).expect(401);
    await t.http().post('/api/v1/auth/refresh').send({ refreshToken: tokens.refreshToken }).expect(401);
  });

  it('lets exactly one of two simultaneous refreshes with the same token through', async () => {
    const user = await register(t);
    const { refreshToken } = await signIn(t, user.email!);
    const results = await Promise.all([1, 2].map(() => t.http().post('/api/v1/auth/refresh').send({ refreshToken })));
    expect(results.map((r) => r.status).sort()).toEqual([200, 401]);
  });

  it('answers 400 listing fields for a malformed sign-in body', async () => {
    const res = await t.http().post('/api/v1/auth/login').send({ login: 'x' }).expect(400);
    expect(res.body.errors[0].field).toBe('password');
  });
});

describe('password reset and change', () => {
  const resetLink = async (email: string) => {
    await t.http().post('/api/v1/auth/password/forgot').send({ email }).expect(202);
    return tokenFrom(await t.mail.waitFor(email, (m) => /reset/i.test(m.subject)), 'reset-password');
  };
  const reset = (token: string, password = 'a-takeover-secret-9') => t.http().post('/api/v1/auth/password/reset').send({ token, password });

  it('resets by email: the link works once, ends every session and the old password stops working', async () => {
    const user = await register(t);
    const before = await signIn(t, user.email!);
    await t.http().post('/api/v1/auth/password/forgot').send({ email: user.email }).expect(202);
    const mail = await t.mail.waitFor(user.email!, (m) => /reset/i.test(m.subject));
    const token = tokenFrom(mail, 'reset-password');

    await t.http().post('/api/v1/auth/password/reset').send({ token, password: 'password123' }).expect(400);
    await t.http().post('/api/v1/auth/password/reset').send({ token, password: 'a-brand-new-secret-9' }).expect(204);
    await t.http().post('/api/v1/auth/password/reset').send({ token, password: 'another-new-secret-9' }).expect(410);
    await t.http().get('/api/v1/me').set('Authorization', `Bearer ${before.accessToken}`).expect(401);
    await t.http().post('/api/v1/auth/login').send({ login: user.email, password: PASSWORD }).expect(401);
    await signIn(t, user.email!, 'a-brand-new-secret-9');
  });

  it('a reset through the link emailed to the account’s address verifies it; after a change of address the link is dead', async () => {
    const me = async (login: string, password: string) =>
      (await t.http().get('/api/v1/me').set('Authorization', `Bearer ${(await signIn(t, login, password)).accessToken}`).expect(200)).body;

    const user = await register(t);
    expect(user.body.emailVerified).toBe(false);
    await t.http().post('/api/v1/auth/password/reset').send({ token: await resetLink(user.email!), password: 'a-brand-new-secret-9' }).expect(204);
    expect((await me(user.email!, 'a-brand-new-secret-9')).emailVerified).toBe(true);

    const mover = await register(t);
    const token = await resetLink(mover.email!);
    const moved = `moved-${mover.id}@example.com`;
    await t.http().patch('/api/v1/me').set('Authorization', `Bearer ${(await signIn(t, mover.email!)).accessToken}`).send({ email: moved }).expect(200);
    expect((await reset(token).expect(410)).body.code).toBe('TOKEN_USED');
    expect(await me(moved, PASSWORD)).toMatchObject({ email: moved, emailVerified: false });
  });

  it('a reset link dies when the password is changed: it cannot undo the change', async () => {
    const user = await register(t);
    const token = await resetLink(user.email!);
    const { accessToken } = await signIn(t, user.email!);
    await t.http()
      .post('/api/v1/auth/password/change')
      .set('Authorization', `Bearer ${accessToken}`)
      .send({ currentPassword: PASSWORD, newPassword: 'sunlit-meadow-quartz' })
      .expect(204);
    expect((await reset(token).expect(410)).body.code).toBe('TOKEN_USED');
    await signIn(t, user.email!, 'sunlit-meadow-quartz');
  });

  it('refuses a reset link mailed to an address the account no longer has, whatever changed it', async () => {
    const user = await register(t);
    const token = await resetLink(user.email!);
    await t.db.query(`UPDATE users SET email = $2 WHERE id = $1`, [user.id, `elsewhere-${user.id}@example.com`]);
    expect((await reset(token).expect(410)).body.code).toBe('TOKEN_EXPIRED');
    await signIn(t, `elsewhere-${user.id}@example.com`);
  });

  it('spends a reset link once even when it is used twice at the same moment', async () => {
    const user = await register(t);
    await t.http().post('/api/v1/auth/password/forgot').send({ email: user.email }).expect(202);
    const token = tokenFrom(await t.mail.waitFor(user.email!, (m) => /reset/i.test(m.subject)), 'reset-password');
    const results = await Promise.all(
      ['first-racer-secret', 'second-racer-secret'].map((password) => t.http().post('/api/v1/auth/password/reset').send({ token, password })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([204, 410]);
  });

  it('null for email or username → 400 naming it (both when both are null); nothing is sent', async () => {
    const user = await register(t);
    const forgot = (body: object) => t.http().post('/api/v1/auth/password/forgot').send(body);
    expect(errorFields(await forgot({ email: null, username: null }).expect(400))).toEqual(['email', 'username']);
    expect(errorFields(await forgot({ email: null, username: user.username }).expect(400))).toEqual(['email']);
    expect(errorFields(await forgot({ email: user.email, username: null }).expect(400))).toEqual(['username']);
    await resetLink(user.email!);
    expect(t.mail.to(user.email!).filter((m) => /reset/i.test(m.subject))).toHaveLength(1);
  });

  it('answers 202 for an unknown account and sends nothing', async () => {
    await t.http().post('/api/v1/auth/password/forgot').send({ email: 'ghost@example.com' }).expect(202);
    await t.http().post('/api/v1/auth/password/forgot').send({ username: 'ghost.x123' }).expect(202);
    expect(t.mail.to('ghost@example.com')).toHaveLength(0);
  });

  it('sends the reset link of an account without email to the parent address, found by username', async () => {
    const child = await register(t, { email: undefined, dateOfBirth: bornYearsAgo(12), parentEmail: 'guardian@example.com' });
    await t.http().post('/api/v1/auth/password/forgot').send({ username: child.username }).expect(202);
    const mail = await t.mail.waitFor('guardian@example.com', (m) => /reset/i.test(m.subject));
    expect(mail.text).not.toContain('Khan');
  });

  it('refuses an expired reset link with 410', async () => {
    const user = await register(t);
    await t.http().post('/api/v1/auth/password/forgot').send({ email: user.email }).expect(202);
    const token = tokenFrom(await t.mail.waitFor(user.email!, (m) => /reset/i.test(m.subject)), 'reset-password');
    t.clock.advance(61 * 60_000);
    try {
      const res = await t.http().post('/api/v1/auth/password/reset').send({ token, password: 'a-brand-new-secret-9' }).expect(410);
      expect(res.body.code).toBe('TOKEN_EXPIRED');
    } finally {
      t.clock.reset();
    }
  });

  it('changes the password with the current one and ends the other sessions', async () => {
    const user = await register(t);
    const a = await signIn(t, user.email!);
    const b = await signIn(t, user.email!);
    await t.http()
      .post('/api/v1/auth/password/change')
      .set('Authorization', `Bearer ${a.accessToken}`)
      .send({ currentPassword: 'wrong-current-pw', newPassword: 'sunlit-meadow-quartz' })
      .expect(400);
    await t.http()
      .post('/api/v1/auth/password/change')
      .set('Authorization', `Bearer ${a.accessToken}`)
      .send({ currentPassword: PASSWORD, newPassword: 'sunlit-meadow-quartz' })
      .expect(204);
    await t.http().get('/api/v1/me').set('Authorization', `Bearer ${a.accessToken}`).expect(200);
    await t.http().get('/api/v1/me').set('Authorization', `Bearer ${b.accessToken}`).expect(401);
    await t.mail.waitFor(user.email!, (m) => /password was changed/i.test(m.subject));
  });
});

function baseBody() {
  return {
    accountType: 'entrant',
    email: `e-${Math.random().toString(36).slice(2)}@example.com`,
    password: PASSWORD,
    firstName: 'Amira',
    lastName: 'Khan',
    dateOfBirth: bornYearsAgo(15),
    region: 'london',
  };
}

describe('a session check that cannot reach the database', () => {
  it('answers 503 with Retry-After, not 401: nobody is signed out by an outage', async () => {
    const user = await aSignedInEntrant(t);
    const check = jest.spyOn(t.app.get(AuthService), 'authenticate').mockRejectedValueOnce(new Error('timeout exceeded when trying to connect'));
    try {
      const res = await t.http().get('/api/v1/me').set(user.auth);
      expect(res.status).toBe(503);
      expect(res.headers['retry-after']).toBe('5');
      expect(res.body.code).toBe('TEMPORARILY_UNAVAILABLE');
    } finally {
      check.mockRestore();
    }
    await t.http().get('/api/v1/me').set(user.auth).expect(200);
  });
});

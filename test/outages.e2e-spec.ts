import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestApp, type TestApp } from './support/test-app.js';
import { register } from './support/builders.js';
import { ThrowawayRedis } from './support/redis-server.js';
import { waitFor } from './support/mail-capture.js';

describe('no email is lost while Redis or SMTP is down', () => {
  const redis = new ThrowawayRedis();
  let t: TestApp;
  beforeAll(async () => {
    await redis.start();
    t = await startTestApp({ env: { REDIS_URL: redis.url } });
  });
  afterAll(async () => {
    await t?.close();
    await redis.stop();
  });

  it('registration works while Redis is down; the verification email goes out once Redis is back', async () => {
    await redis.stop();
    await t.http().get('/health/ready').expect(503);
    const user = await register(t, { email: 'during-outage@example.com' });
    const [{ count }] = await t.db.query(`SELECT count(*)::int AS count FROM outbox WHERE relayed_at IS NULL`);
    expect(count).toBeGreaterThanOrEqual(1);
    // Sign-in counters cannot be checked without Redis: it fails closed with 503, not a 500.
    const signIn = await t.http().post('/api/v1/auth/login').send({ login: user.email, password: user.password });
    expect(signIn.status).toBe(503);
    expect(signIn.body.code).toBe('TEMPORARILY_UNAVAILABLE');

    await redis.start();
    const mail = await t.mail.waitFor('during-outage@example.com', () => true, 30_000);
    expect(mail.subject).toMatch(/confirm/i);
    await t.http().get('/health/ready').expect(200);
  });

  it('a refusing SMTP server delays the email; it is retried and delivered exactly once with a stable Message-ID', async () => {
    t.mail.refusing = true;
    await register(t, { email: 'smtp-outage@example.com' });
    const failed = await waitFor(
      async () => (await t.db.query(`SELECT attempts, last_error FROM notification WHERE email = 'smtp-outage@example.com'`))[0]?.last_error,
      15_000,
      'a failed delivery attempt',
    );
    expect(failed).toMatch(/451|try again/i);
    expect(t.mail.to('smtp-outage@example.com')).toHaveLength(0);
    t.mail.refusing = false;
    const mail = await t.mail.waitFor('smtp-outage@example.com', () => true, 20_000);
    // The worker records the delivery just after the SMTP server has the message.
    const row = await waitFor(
      async () => (await t.db.query(`SELECT id, sent_at, secret, attempts FROM notification WHERE email = 'smtp-outage@example.com' AND sent_at IS NOT NULL`))[0],
      10_000,
      'the delivery to be recorded',
    );
    expect(mail.messageId).toBe(`<${row.id}@young-ideas.test>`);
    expect(row.sent_at).not.toBeNull();
    expect(row.secret).toBeNull(); // the sealed token is wiped once sent
    expect(row.attempts).toBeGreaterThanOrEqual(2);
    expect(t.mail.to('smtp-outage@example.com')).toHaveLength(1);
  });
});

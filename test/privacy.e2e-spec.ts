import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { getQueueToken } from '@nestjs/bullmq';
import { Job, type Queue } from 'bullmq';
import { QUEUES } from '@app/platform';
import { RetentionService } from '@app/privacy';
import { startTestApp, type TestApp } from './support/test-app.js';
import { aJudge } from './support/judging.js';
import { waitFor } from './support/mail-capture.js';
import { PASSWORD, aClass, aCompetition, aSignedInEntrant, aVerifiedTeacher, anIdea, anOrganiser, register, session, signIn } from './support/builders.js';

let t: TestApp;
let org: Awaited<ReturnType<typeof anOrganiser>>;
let comp: Awaited<ReturnType<typeof aCompetition>>;
beforeAll(async () => {
  t = await startTestApp();
  org = await anOrganiser(t);
  comp = await aCompetition(t, org);
});
afterAll(async () => {
  await t?.close();
});

describe('GET /me/export', () => {
  it('returns, inline, everything held about the caller, by area, and no secrets', async () => {
    const teacher = await aVerifiedTeacher(t, { organiser: org });
    const klass = await aClass(t, teacher);
    const me = await aSignedInEntrant(t, { firstName: 'Priya', lastName: 'Shah' });
    await t.http().post('/api/v1/classes/join').set(me.auth).send({ code: klass.joinCode }).expect(200);
    const idea = await anIdea(t, me, comp.id);
    await t.http().post(`/api/v1/ideas/${idea.id}/submit`).set(me.auth).expect(200);
    const res = await t.http().get('/api/v1/me/export').set(me.auth).expect(200);
    expect(res.body.account).toMatchObject({ id: me.id, email: me.email, firstName: 'Priya', lastName: 'Shah', sessions: expect.any(Array) });
    expect(res.body.schools.classes).toEqual([expect.objectContaining({ classId: klass.id })]);
    expect(res.body.ideas.ideas[0]).toMatchObject({ id: idea.id, title: 'Bus buddy', versions: [expect.objectContaining({ version: 1 })] });
    expect(res.body.notifications.length).toBeGreaterThan(0);
    expect(res.body.auditTrail.map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(['user.registered', 'idea.submitted']));
    const text = JSON.stringify(res.body);
    expect(text).not.toMatch(/argon2|password_hash|passwordHash|token_hash/i);
  });
});

describe('DELETE /me', () => {
  it('needs the current password (400, nothing changes)', async () => {
    const me = await aSignedInEntrant(t);
    await t.http().delete('/api/v1/me').set(me.auth).send({ password: 'not-my-password' }).expect(400);
    await t.http().get('/api/v1/me').set(me.auth).expect(200);
  });

  it('anonymises at once: no sign-in, sessions end, personal data wiped, counts kept, shown as "Former entrant"', async () => {
    const teacher = await aVerifiedTeacher(t, { organiser: org });
    const klass = await aClass(t, teacher);
    const owner = await aSignedInEntrant(t);
    const me = await aSignedInEntrant(t, { firstName: 'Gone', lastName: 'Soon' });
    await t.http().post('/api/v1/classes/join').set(me.auth).send({ code: klass.joinCode }).expect(200);
    const idea = await anIdea(t, owner, comp.id);
    await t.http().post(`/api/v1/ideas/${idea.id}/members`).set(owner.auth).send({ username: me.username }).expect(201);
    await t.http().post(`/api/v1/ideas/${idea.id}/members/accept`).set(me.auth).expect(200);
    await t.http().post(`/api/v1/ideas/${idea.id}/submit`).set(owner.auth).expect(200);
    const soloDraft = await anIdea(t, me, comp.id, { title: 'My own draft' });

    await t.http().delete('/api/v1/me').set(me.auth).send({ password: PASSWORD }).expect(204);

    await t.http().get('/api/v1/me').set(me.auth).expect(401);
    await t.http().post('/api/v1/auth/login').send({ login: me.email, password: PASSWORD }).expect(401);
    await t.http().post('/api/v1/auth/login').send({ login: me.username, password: PASSWORD }).expect(401);
    const team = await t.http().get(`/api/v1/ideas/${idea.id}`).set(owner.auth).expect(200);
    expect(team.body.members).toContainEqual({ userId: me.id, displayName: 'Former entrant', role: 'member', accepted: true });
    expect(team.body.status).toBe('submitted');
    await t.http().get(`/api/v1/ideas/${soloDraft.id}`).set(org.auth).expect(404);
    const view = await t.http().get(`/api/v1/classes/${klass.id}`).set(teacher.auth).expect(200);
    expect(view.body.students.map((s: { userId: string }) => s.userId)).not.toContain(me.id);

    const [row] = await t.db.query(`SELECT email, first_name, last_name, date_of_birth, password_hash, erased_at FROM users WHERE id = $1`, [me.id]);
    expect(row).toMatchObject({ email: null, first_name: 'Former', last_name: 'entrant', date_of_birth: null, password_hash: null });
    expect(row.erased_at).not.toBeNull();
    const notes = await t.db.query(`SELECT count(*)::int AS n FROM notification WHERE user_id = $1 AND (email IS NOT NULL OR data <> '{}')`, [me.id]);
    expect(notes[0].n).toBe(0);
    const audit = await t.http().get(`/api/v1/audit?action=user.erased&subjectId=${me.id}`).set(org.auth).expect(200);
    expect(audit.body.items).toHaveLength(1);
    // the address is free again
    await register(t, { email: me.email });
  });
});

describe('data kept outside the account row', () => {
  it('replayable answers (Idempotency-Key) are exported by key, erased with the account, and pruned after 24 h', async () => {
    const me = await aSignedInEntrant(t);
    const idea = await anIdea(t, me, comp.id);
    await t.http().post(`/api/v1/ideas/${idea.id}/submit`).set(me.auth).set('Idempotency-Key', 'submit-privacy-1').expect(200);
    const exported = await t.http().get('/api/v1/me/export').set(me.auth).expect(200);
    expect(exported.body.repeatableRequests).toEqual([expect.objectContaining({ key: 'submit-privacy-1', responseStatus: 200 })]);
    await t.http().delete('/api/v1/me').set(me.auth).send({ password: PASSWORD }).expect(204);
    expect((await t.db.query(`SELECT count(*)::int AS n FROM idempotency_record WHERE user_id = $1`, [me.id]))[0].n).toBe(0);

    const other = await aSignedInEntrant(t);
    const otherIdea = await anIdea(t, other, comp.id);
    await t.http().post(`/api/v1/ideas/${otherIdea.id}/submit`).set(other.auth).set('Idempotency-Key', 'submit-privacy-2').expect(200);
    const queue = t.worker!.get<Queue>(getQueueToken(QUEUES.maintenance));
    expect((await queue.getJobSchedulers()).map((s) => s.key)).toContain('prune-idempotency');
    const runPrune = async () => {
      const { id } = await queue.add('prune-idempotency', {});
      return waitFor(async () => {
        const job = await Job.fromId(queue, id!);
        return (await job?.getState()) === 'completed' ? job : undefined;
      }, 10_000, 'the prune job');
    };
    await runPrune();
    const kept = async () => (await t.db.query(`SELECT count(*)::int AS n FROM idempotency_record WHERE user_id = $1`, [other.id]))[0].n;
    expect(await kept()).toBe(1); // still within its 24 h
    t.clock.advance(25 * 3600_000);
    try {
      await runPrune();
      expect(await kept()).toBe(0);
    } finally {
      t.clock.advance(-25 * 3600_000);
    }
  });

  it('a judge’s invitation email becomes theirs on acceptance: exported, and wiped when they erase their account', async () => {
    const judge = await aJudge(t, org, { firstName: 'Erin' });
    const exported = await t.http().get('/api/v1/me/export').set(judge.auth).expect(200);
    expect(exported.body.notifications.map((n: { template: string }) => n.template)).toContain('judge-invitation');
    await t.http().delete('/api/v1/me').set(judge.auth).send({ password: PASSWORD }).expect(204);
    const left = await t.db.query(`SELECT count(*)::int AS n FROM notification WHERE email = $1 OR data->>'firstName' = 'Erin'`, [judge.email]);
    expect(left[0].n).toBe(0);
  });
});

describe('retention of inactive accounts', () => {
  const DAY = 24 * 3600_000;
  const sweep = () => t.worker!.get(RetentionService).sweep();

  it('warns at 30 and 7 days, then anonymises after 3 years without activity; signing in resets it', async () => {
    const idle = await register(t, { firstName: 'Idle', lastName: 'Ivy' });
    const active = await register(t, { firstName: 'Busy', lastName: 'Bee' });
    const start = Date.now();
    try {
      t.clock.set(new Date(start + 3 * 365 * DAY + DAY - 29 * DAY));
      const first = await sweep();
      expect(first.warned30).toBeGreaterThanOrEqual(2);
      await t.mail.waitFor(idle.email!, (m) => /in 30 days/.test(m.subject));
      await signIn(t, active.email!); // activity resets the clock for this one

      t.clock.set(new Date(start + 3 * 365 * DAY + DAY - 29 * DAY + 23 * DAY + 3600_000)); // 23 days and an hour after the first warning
      expect((await sweep()).warned7).toBeGreaterThanOrEqual(1);
      await t.mail.waitFor(idle.email!, (m) => /in 7 days/.test(m.subject));
      expect(t.mail.to(active.email!).filter((m) => /in 7 days/.test(m.subject))).toHaveLength(0);

      t.clock.set(new Date(start + 3 * 365 * DAY + DAY + 2 * DAY));
      expect((await sweep()).erased).toBeGreaterThanOrEqual(1);
      const [idleRow] = await t.db.query(`SELECT erased_at FROM users WHERE id = $1`, [idle.id]);
      const [activeRow] = await t.db.query(`SELECT erased_at, retention_stage FROM users WHERE id = $1`, [active.id]);
      expect(idleRow.erased_at).not.toBeNull();
      expect(activeRow).toEqual({ erased_at: null, retention_stage: 0 });
      const audit = await t.db.query(`SELECT data FROM audit_log WHERE action = 'user.erased' AND subject_id = $1`, [idle.id]);
      expect(audit).toEqual([{ data: { reason: 'retention' } }]);
    } finally {
      t.clock.reset();
    }
  });
});

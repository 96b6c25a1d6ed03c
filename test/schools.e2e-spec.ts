import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestApp, type TestApp } from './support/test-app.js';
import { aPendingTeacher, aUrn, aVerifiedTeacher, anEntrant, anOrganiser, errorFields, session, verifyEmail, type SignedInUser } from './support/builders.js';

let t: TestApp;
let organiser: SignedInUser;
beforeAll(async () => {
  t = await startTestApp();
  organiser = await anOrganiser(t);
});
afterAll(async () => {
  await t?.close();
});

describe('registering a school', () => {
  it('creates a pending school for the first teacher, normalising the postcode', async () => {
    const teacher = await aPendingTeacher(t);
    const school = await t.http().get(`/api/v1/schools/${teacher.schoolId}`).set(organiser.auth).expect(200);
    expect(school.body).toMatchObject({ urn: teacher.urn, name: 'Hillside Academy', postcode: 'SW1A 1AA', status: 'pending', verifiedAt: null });
    expect(school.body.teachers).toEqual([expect.objectContaining({ userId: teacher.id, status: 'pending', firstName: 'Grace' })]);
  });

  it('answers 201 for a new URN and 200 with a pending membership for an existing one', async () => {
    const first = await aPendingTeacher(t);
    const other = await aPendingTeacher(t);
    const res = await t.http()
      .post('/api/v1/schools')
      .set(other.auth)
      .send({ urn: first.urn, name: 'Another name', postcode: 'M1 1AE' })
      .expect(200);
    expect(res.body).toMatchObject({ id: first.schoolId, name: 'Hillside Academy', status: 'pending', membershipStatus: 'pending' });
    const created = await t.http().post('/api/v1/schools').set(other.auth).send({ urn: aUrn(), name: 'Riverside School', postcode: 'b33 8th' }).expect(201);
    expect(created.body).toMatchObject({ status: 'pending', membershipStatus: 'pending', postcode: 'B33 8TH' });
  });

  it('refuses a bad URN and postcode, listing both', async () => {
    const teacher = await aPendingTeacher(t);
    const res = await t.http().post('/api/v1/schools').set(teacher.auth).send({ urn: '12345', name: 'X School', postcode: 'NOT A CODE' }).expect(400);
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['postcode', 'urn']);
  });

  it('is for teachers only', async () => {
    const entrant = await anEntrant(t);
    const { auth } = await session(t, entrant);
    const res = await t.http().post('/api/v1/schools').set(auth).send({ urn: aUrn(), name: 'X School', postcode: 'SW1A 1AA' }).expect(403);
    expect(res.body.code).toBe('ROLE_REQUIRED');
  });
});

describe('listing and seeing schools', () => {
  it('lists pending schools for organisers, newest first, page by page', async () => {
    const a = await aPendingTeacher(t);
    const b = await aPendingTeacher(t);
    const first = await t.http().get('/api/v1/schools?status=pending&limit=1').set(organiser.auth).expect(200);
    expect(first.body.items).toHaveLength(1);
    expect(first.body.items[0].id).toBe(b.schoolId);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await t.http().get(`/api/v1/schools?status=pending&limit=1&cursor=${first.body.nextCursor}`).set(organiser.auth).expect(200);
    expect(second.body.items[0].id).toBe(a.schoolId);
    await t.http().get('/api/v1/schools?status=pending').set(a.auth).expect(403);
    await t.http().get('/api/v1/schools?status=unknown').set(organiser.auth).expect(400);
  });

  it('shows a school to its verified teachers and organisers only: pending teachers see no colleague (404)', async () => {
    const verified = await aVerifiedTeacher(t, { organiser });
    const pending = await aPendingTeacher(t, { urn: verified.urn });
    const stranger = await aVerifiedTeacher(t, { organiser });
    const seen = await t.http().get(`/api/v1/schools/${verified.schoolId}`).set(verified.auth).expect(200);
    expect(seen.body.teachers.map((x: { userId: string; status: string }) => [x.userId, x.status])).toEqual([
      [verified.id, 'verified'],
      [pending.id, 'pending'],
    ]);
    expect(seen.body).not.toHaveProperty('evidence');
    for (const who of [pending, stranger]) {
      const res = await t.http().get(`/api/v1/schools/${verified.schoolId}`).set(who.auth).expect(404);
      expect(res.body.code).toBe('SCHOOL_NOT_FOUND');
    }
  });
});

describe('verification', () => {
  it('verifies the school and, by default, its first teacher, and emails them', async () => {
    const first = await verifyEmail(t, await aPendingTeacher(t));
    const second = await verifyEmail(t, await aPendingTeacher(t, { urn: first.urn }));
    const res = await t.http()
      .post(`/api/v1/schools/${first.schoolId}/verify`)
      .set(organiser.auth)
      .send({ evidence: 'Checked against GIAS; phoned the school office' })
      .expect(200);
    expect(res.body).toMatchObject({ status: 'verified', evidence: 'Checked against GIAS; phoned the school office', verifiedAt: expect.any(String) });
    expect(res.body.teachers.map((x: { status: string }) => x.status)).toEqual(['verified', 'pending']);
    const mail = await t.mail.waitFor(first.email!, (m) => /verified/i.test(m.subject));
    expect(mail.text).toContain('Hillside Academy');
    expect(t.mail.to(second.email!).filter((m) => /verified/i.test(m.subject))).toHaveLength(0);
  });

  it('verifies the teachers listed, and refuses ids that are not the school’s teachers', async () => {
    const first = await aPendingTeacher(t);
    const second = await aPendingTeacher(t, { urn: first.urn });
    const outsider = await aPendingTeacher(t);
    const bad = await t.http().post(`/api/v1/schools/${first.schoolId}/verify`).set(organiser.auth).send({ teacherIds: [outsider.id] }).expect(400);
    expect(bad.body.errors[0].field).toBe('teacherIds');
    const res = await t.http().post(`/api/v1/schools/${first.schoolId}/verify`).set(organiser.auth).send({ teacherIds: [first.id, second.id] }).expect(200);
    expect(res.body.teachers.map((x: { status: string }) => x.status)).toEqual(['verified', 'verified']);
    await t.http().post(`/api/v1/schools/${first.schoolId}/verify`).set(first.auth).send({}).expect(403);
    await t.http().post('/api/v1/schools/00000000-0000-4000-8000-000000000000/verify').set(organiser.auth).send({}).expect(404);
  });

  it('null for teacherIds → 400 naming it, nothing is verified; null evidence notes nothing', async () => {
    const teacher = await aPendingTeacher(t);
    const verify = (body: object) => t.http().post(`/api/v1/schools/${teacher.schoolId}/verify`).set(organiser.auth).send(body);
    expect(errorFields(await verify({ teacherIds: null }).expect(400))).toEqual(['teacherIds']);
    const school = await t.http().get(`/api/v1/schools/${teacher.schoolId}`).set(organiser.auth).expect(200);
    expect(school.body).toMatchObject({ status: 'pending', verifiedAt: null, teachers: [{ userId: teacher.id, status: 'pending' }] });
    expect((await verify({ evidence: null }).expect(200)).body).toMatchObject({ status: 'verified', evidence: null, teachers: [{ userId: teacher.id, status: 'verified' }] });
  });

  it('lets a verified teacher approve a colleague, who is emailed', async () => {
    const verified = await aVerifiedTeacher(t, { organiser });
    const colleague = await verifyEmail(t, await aPendingTeacher(t, { urn: verified.urn }));
    const other = await aPendingTeacher(t, { urn: verified.urn });
    // A pending teacher cannot approve anyone: to them the school is not there.
    await t.http().post(`/api/v1/schools/${verified.schoolId}/teachers/${other.id}/approve`).set(colleague.auth).expect(404);
    await t.http().post(`/api/v1/schools/${verified.schoolId}/teachers/${colleague.id}/approve`).set(verified.auth).expect(204);
    const mail = await t.mail.waitFor(colleague.email!, (m) => /approved/i.test(m.subject));
    expect(mail.text).toContain('Hillside Academy');
    // An address never confirmed gets the news in the app only (a mistyped one would otherwise).
    await t.http().post(`/api/v1/schools/${verified.schoolId}/teachers/${other.id}/approve`).set(verified.auth).expect(204);
    const inbox = await t.http().get('/api/v1/me/notifications').set(other.auth).expect(200);
    expect(inbox.body.items.map((n: { kind: string }) => n.kind)).toContain('teacher-approved');
    expect(t.mail.to(other.email!).filter((m) => /approved/i.test(m.subject))).toEqual([]);
    const seen = await t.http().get(`/api/v1/schools/${verified.schoolId}`).set(colleague.auth).expect(200);
    expect(seen.body.teachers.find((x: { userId: string }) => x.userId === colleague.id).status).toBe('verified');
    // A teacher of another school cannot approve here.
    const stranger = await aVerifiedTeacher(t, { organiser });
    await t.http().post(`/api/v1/schools/${verified.schoolId}/teachers/${other.id}/approve`).set(stranger.auth).expect(404);
    await t.http().post(`/api/v1/schools/${verified.schoolId}/teachers/${stranger.id}/approve`).set(verified.auth).expect(404);
    // Organisers can approve too.
    await t.http().post(`/api/v1/schools/${verified.schoolId}/teachers/${other.id}/approve`).set(organiser.auth).expect(204);
  });

  it('wants the school verified before approving teachers', async () => {
    const first = await aPendingTeacher(t);
    const res = await t.http().post(`/api/v1/schools/${first.schoolId}/teachers/${first.id}/approve`).set(organiser.auth).expect(409);
    expect(res.body.code).toBe('SCHOOL_NOT_VERIFIED');
  });
});

describe('what pending teachers cannot do', () => {
  it('refuses classes to a teacher whose membership is pending (403)', async () => {
    const verified = await aVerifiedTeacher(t, { organiser });
    const pending = await aPendingTeacher(t, { urn: verified.urn });
    const res = await t.http().post('/api/v1/classes').set(pending.auth).send({ schoolId: pending.schoolId, name: '7A' }).expect(403);
    expect(res.body.code).toBe('TEACHER_NOT_VERIFIED');
    await t.http().get('/api/v1/classes').set(pending.auth).expect(403);
  });
});

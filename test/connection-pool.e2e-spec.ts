import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestApp, type TestApp } from './support/test-app.js';
import { aClass, aCompetition, aSignedInEntrant, aVerifiedTeacher, anIdea, anOrganiser, bornYearsAgo, postRoster, register, rosterCsv } from './support/builders.js';

// With a pool of 2 connections, any transaction that asks the pool for a second connection while
// others hold the rest waits forever (until the pool's timeout). Every request must complete.
describe('a tiny connection pool', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { DATABASE_POOL_SIZE: '2' } });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('serves simultaneous registrations, submits and team invitations without waiting on itself', async () => {
    const registrations = await Promise.all(Array.from({ length: 8 }, () => register(t)));
    expect(registrations).toHaveLength(8);
    const org = await anOrganiser(t);
    const comp = await aCompetition(t, org);
    const owners = await Promise.all(Array.from({ length: 6 }, () => aSignedInEntrant(t)));
    const ideas = await Promise.all(owners.map((o) => anIdea(t, o, comp.id)));
    const submits = await Promise.all(ideas.map((idea, i) => t.http().post(`/api/v1/ideas/${idea.id}/submit`).set(owners[i].auth)));
    expect(submits.map((r) => r.status)).toEqual(Array(6).fill(200));
    const invites = await Promise.all(
      ideas.map((idea, i) => t.http().post(`/api/v1/ideas/${idea.id}/members`).set(owners[i].auth).send({ username: owners[(i + 1) % 6].username })),
    );
    expect(invites.map((r) => r.status)).toEqual(Array(6).fill(201));
  });

  it('imports rosters (with consent requests) and joins classes side by side', async () => {
    const org = await anOrganiser(t);
    const teacher = await aVerifiedTeacher(t, { organiser: org });
    const classes = await Promise.all([1, 2, 3].map((i) => aClass(t, teacher, { name: `Class ${i}` })));
    const csv = rosterCsv(Array.from({ length: 5 }, (_, i) => ({ firstName: `Pupil${'abcde'[i]}`, dateOfBirth: bornYearsAgo(12), parentEmail: `parent${i}@example.com` })));
    const imports = await Promise.all(classes.map((c) => postRoster(t, teacher.auth, c.id, csv)));
    expect(imports.map((r) => r.status)).toEqual([201, 201, 201]);
    const pupils = await Promise.all(Array.from({ length: 4 }, () => aSignedInEntrant(t)));
    const joins = await Promise.all(pupils.map((p) => t.http().post('/api/v1/classes/join').set(p.auth).send({ code: classes[0].joinCode })));
    expect(joins.map((r) => r.status)).toEqual([200, 200, 200, 200]);
  });
});

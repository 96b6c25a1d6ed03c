import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestApp, type TestApp } from './support/test-app.js';
import { aClass, aCompetition, aSignedInEntrant, aVerifiedTeacher, anIdea, anOrganiser, bornYearsAgo, register, session, type SignedInUser } from './support/builders.js';
import { tokenFrom } from './support/mail-capture.js';
import { aJudge, judgeAndPublish } from './support/judging.js';

/**
 * What the public sees of published results after they change underneath: a member whose date of birth is
 * corrected to under 13, a child whose parent refuses consent after their teacher attested, a hidden idea, a
 * withdrawn award. Five ideas, three judges, a screening and a final round, four prizes: A–D win, E is a finalist.
 */
let t: TestApp;
let org: SignedInUser;
let competitionId: string;
const ideas: Record<string, string> = {};
let kit: SignedInUser; // 15 at entry, in Idea A's team (Wales); the organiser corrects them to 12
let consentToken: string; // the link emailed to the parent of Lily (12, Idea B's owner, Scotland)
const judges: SignedInUser[] = [];

const publicResults = async () => (await t.http().get(`/api/v1/public/competitions/${competitionId}/results`).expect(200)).body;
const winner = (body: { winners: { title: string }[] }, title: string) => body.winners.find((w) => w.title === title);
type Grant = { title: string; beneficiaryLocation: { name: string }[] };
const grants = async () => (await t.http().get('/api/v1/open-data/grants.json').expect(200)).body.grants as Grant[];
const grant = (all: Grant[], title: string) => all.find((g) => g.title.endsWith(`: ${title}`));

beforeAll(async () => {
  t = await startTestApp();
  org = await anOrganiser(t);
  const comp = await aCompetition(t, org, { closesAt: new Date(t.clock.now().getTime() + 5 * 60_000).toISOString(), prizeCount: 4, prizeAmountPence: 1_500_000 });
  competitionId = comp.id;

  const sam = await aSignedInEntrant(t, { firstName: 'Sam', lastName: 'Adeyemi', region: 'london' });
  kit = await aSignedInEntrant(t, { firstName: 'Kit', lastName: 'Brennan', region: 'wales' });
  ideas['Idea A'] = (await anIdea(t, sam, comp.id, { title: 'Idea A' })).id;
  await t.http().post(`/api/v1/ideas/${ideas['Idea A']}/members`).set(sam.auth).send({ username: kit.username }).expect(201);
  await t.http().post(`/api/v1/ideas/${ideas['Idea A']}/members/accept`).set(kit.auth).expect(200);
  await t.http().post(`/api/v1/ideas/${ideas['Idea A']}/submit`).set(sam.auth).expect(200);

  // An under-13 whose teacher attests that the school holds the parent's consent, so she may enter.
  const teacher = await aVerifiedTeacher(t, { organiser: org });
  const klass = await aClass(t, teacher);
  const parentEmail = `parent-${Date.now().toString(36)}@example.com`;
  const child = await register(t, { email: undefined, parentEmail, firstName: 'Lily', lastName: 'Chowdhury', dateOfBirth: bornYearsAgo(12), region: 'scotland' });
  consentToken = tokenFrom(await t.mail.waitFor(parentEmail, (m) => /take part/.test(m.subject)), 'consent');
  const lily = { ...child, auth: (await session(t, child)).auth };
  await t.http().post('/api/v1/classes/join').set(lily.auth).send({ code: klass.joinCode }).expect(200);
  await t.http().post(`/api/v1/classes/${klass.id}/students/${lily.id}/consent`).set(teacher.auth).send({ attestation: 'school_holds_parental_consent' }).expect(204);
  ideas['Idea B'] = (await anIdea(t, lily, comp.id, { title: 'Idea B' })).id;
  await t.http().post(`/api/v1/ideas/${ideas['Idea B']}/submit`).set(lily.auth).expect(200);

  for (const [title, firstName, lastName, region] of [
    ['Idea C', 'Ravi', 'Dlamini', 'north-east'],
    ['Idea D', 'Tom', 'Evans', 'south-west'],
    ['Idea E', 'Zoe', 'Fitzgerald', 'wales'],
  ]) {
    const owner = await aSignedInEntrant(t, { firstName, lastName, region });
    ideas[title] = (await anIdea(t, owner, comp.id, { title })).id;
    await t.http().post(`/api/v1/ideas/${ideas[title]}/submit`).set(owner.auth).expect(200);
  }

  for (let j = 0; j < 3; j++) judges.push(await aJudge(t, org));
  t.clock.advance(6 * 60_000);
  const quality = (title: string) => 10 - 'ABCDE'.indexOf(title.slice(-1));
  await judgeAndPublish(t, org, comp.id, judges, quality, 5);
}, 180_000);

afterAll(async () => {
  await t?.close();
});

describe('public results and grants after publication', () => {
  it('start with every winner and finalist, named, funded and located', async () => {
    const body = await publicResults();
    expect(body.winners.map((w: { title: string }) => w.title)).toEqual(['Idea A', 'Idea B', 'Idea C', 'Idea D']);
    expect(body.finalists.map((f: { title: string }) => f.title)).toEqual(['Idea E']);
    expect(winner(body, 'Idea A')).toMatchObject({ displayNames: ['Sam A.', 'Kit B.'], awardPence: 1_500_000 });
    expect(winner(body, 'Idea B')).toMatchObject({ displayNames: ['Lily C.'], awardPence: 1_500_000 });
    const all = await grants();
    expect(all).toHaveLength(4);
    expect(grant(all, 'Idea A')!.beneficiaryLocation.map((l) => l.name).sort()).toEqual(['London', 'Wales']);
    expect(grant(all, 'Idea B')!.beneficiaryLocation.map((l) => l.name)).toEqual(['Scotland']);
  });

  it('leave out an under-13 without consent: corrected to 12 (pending), or refused by a parent after a teacher attested', async () => {
    const corrected = await t.http().patch(`/api/v1/users/${kit.id}`).set(org.auth).send({ dateOfBirth: bornYearsAgo(12) }).expect(200);
    expect(corrected.body.ageBand).toBe('U13');
    expect((await t.db.query(`SELECT consent_status FROM users WHERE id = $1`, [kit.id]))[0].consent_status).toBe('pending');
    await t.http().post(`/api/v1/consent/${consentToken}`).send({ decision: 'refuse', parentName: 'Farah Chowdhury' }).expect(204);

    // The ideas stay (the idea is the team's), without the children's names.
    const body = await publicResults();
    expect(winner(body, 'Idea A')).toMatchObject({ displayNames: ['Sam A.'], awardPence: 1_500_000 });
    expect(winner(body, 'Idea B')).toMatchObject({ displayNames: [], awardPence: 1_500_000 });
    expect(JSON.stringify(body)).not.toMatch(/Kit|Lily/);

    // Open data locates a grant by its members' regions: not by these children's.
    const all = await grants();
    expect(grant(all, 'Idea A')!.beneficiaryLocation.map((l) => l.name)).toEqual(['London']);
    expect(grant(all, 'Idea B')!.beneficiaryLocation).toEqual([]);
    const csv = (await t.http().get('/api/v1/open-data/grants.csv').expect(200)).text;
    expect(csv).not.toMatch(/Wales|Scotland/);
  });

  it('leave out a hidden idea (winner or finalist) until it is unhidden', async () => {
    await t.http().post(`/api/v1/ideas/${ideas['Idea C']}/hide`).set(org.auth).send({ reason: 'Copied from a published app' }).expect(200);
    await t.http().post(`/api/v1/ideas/${ideas['Idea E']}/hide`).set(org.auth).send({ reason: 'Copied from a published app' }).expect(200);
    const body = await publicResults();
    expect(body.winners.map((w: { title: string }) => w.title)).toEqual(['Idea A', 'Idea B', 'Idea D']);
    expect(body.finalists).toEqual([]);
    expect(grant(await grants(), 'Idea C')).toBeUndefined();
    expect((await t.http().get('/api/v1/open-data/grants.csv').expect(200)).text).not.toContain('Idea C');

    await t.http().post(`/api/v1/ideas/${ideas['Idea C']}/unhide`).set(org.auth).send({ reason: 'Original after all' }).expect(200);
    expect((await publicResults()).winners.map((w: { title: string }) => w.title)).toEqual(['Idea A', 'Idea B', 'Idea C', 'Idea D']);
    expect(grant(await grants(), 'Idea C')).toBeDefined();
  });

  it('show a winner whose award is withdrawn without an amount, and no grant for it', async () => {
    const awards = (await t.http().get('/api/v1/awards').query({ competitionId }).set(org.auth).expect(200)).body.items;
    const award = awards.find((a: { ideaId: string }) => a.ideaId === ideas['Idea D']);
    await t.http().patch(`/api/v1/awards/${award.id}`).set(org.auth).send({ status: 'withdrawn' }).expect(200);
    const body = await publicResults();
    expect(winner(body, 'Idea D')).toEqual({ ideaId: ideas['Idea D'], title: 'Idea D', summary: expect.any(String), displayNames: ['Tom E.'], awardPence: null });
    expect(winner(body, 'Idea A')).toMatchObject({ awardPence: 1_500_000 });
    expect(grant(await grants(), 'Idea D')).toBeUndefined();

    const doc = (await t.http().get('/api/docs-json').expect(200)).body;
    expect(doc.components.schemas.PublicWinnerDto.properties.awardPence).toMatchObject({ type: 'integer', nullable: true });
  });
});

describe('an idea hidden after the final is confirmed, before publication', () => {
  it('is neither paid, badged, told it won nor given an outcome; the other winner is', async () => {
    const comp = await aCompetition(t, org, { closesAt: new Date(t.clock.now().getTime() + 5 * 60_000).toISOString(), prizeCount: 2, prizeAmountPence: 1_000_000 });
    const owners: Record<string, SignedInUser> = {};
    const ideaOf: Record<string, string> = {};
    for (const title of ['Idea X', 'Idea Y', 'Idea Z']) {
      owners[title] = await aSignedInEntrant(t);
      ideaOf[title] = (await anIdea(t, owners[title], comp.id, { title })).id;
      await t.http().post(`/api/v1/ideas/${ideaOf[title]}/submit`).set(owners[title].auth).expect(200);
    }
    t.clock.advance(6 * 60_000);
    const quality = (title: string) => ({ 'Idea X': 10, 'Idea Y': 8, 'Idea Z': 3 })[title]!;
    await judgeAndPublish(t, org, comp.id, judges, quality, 3, async () => {
      await t.http().post(`/api/v1/ideas/${ideaOf['Idea X']}/hide`).set(org.auth).send({ reason: 'Copied from a published app' }).expect(200);
    });
    const awards = (await t.http().get('/api/v1/awards').query({ competitionId: comp.id }).set(org.auth).expect(200)).body.items;
    expect(awards.map((a: { ideaId: string }) => a.ideaId)).toEqual([ideaOf['Idea Y']]);
    const x = (await t.http().get(`/api/v1/ideas/${ideaOf['Idea X']}`).set(owners['Idea X'].auth).expect(200)).body;
    expect(x.outcome).toBeNull();
    expect((await t.http().get(`/api/v1/ideas/${ideaOf['Idea Y']}`).set(owners['Idea Y'].auth).expect(200)).body.outcome).toBe('winner');
    expect(t.mail.to(owners['Idea X'].email!).some((m) => /Congratulations/.test(m.subject))).toBe(false);
    await t.mail.waitFor(owners['Idea Y'].email!, (m) => /Congratulations/.test(m.subject));
    const badges = (await t.http().get('/api/v1/me/badges').set(owners['Idea X'].auth).expect(200)).body.items;
    expect(badges.map((b: { badge: { slug: string } }) => b.badge.slug)).not.toContain('winner');
  }, 120_000);
});

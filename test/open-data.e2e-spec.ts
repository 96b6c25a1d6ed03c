import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { readStandardJson } from '../libs/badges/testing/open-badges-fixtures.js';
import { GRANT_COLUMNS } from '@app/open-data';
import { startTestApp, type TestApp } from './support/test-app.js';
import { aCompetition, aSignedInEntrant, anIdea, anOrganiser, bornYearsAgo } from './support/builders.js';
import { aJudge, judgeAndPublish } from './support/judging.js';

/**
 * Open data after a real competition: four entrants (one team), three judges, a screening and a
 * final round, results published with three funding awards.
 */
let t: TestApp;
let org: Awaited<ReturnType<typeof anOrganiser>>;
let competitionId: string;
const SURNAMES = ['Adeyemi', 'Brennan', 'Chowdhury', 'Dlamini', 'Evans'];

beforeAll(async () => {
  t = await startTestApp();
  org = await anOrganiser(t);
  const comp = await aCompetition(t, org, { closesAt: new Date(t.clock.now().getTime() + 5 * 60_000).toISOString(), categories: ['health', 'education'] });
  competitionId = comp.id;
  const regions = ['london', 'wales', 'london', 'scotland', 'north-east'];
  const owners = [];
  for (let i = 0; i < 5; i++) owners.push(await aSignedInEntrant(t, { firstName: 'Sam', lastName: SURNAMES[i], dateOfBirth: bornYearsAgo(15), region: regions[i] }));
  const ideas = [];
  for (let i = 0; i < 4; i++) ideas.push(await anIdea(t, owners[i], comp.id, { title: `Idea ${'ABCD'[i]}`, category: i < 2 ? 'health' : 'education' }));
  await t.http().post(`/api/v1/ideas/${ideas[0].id}/members`).set(owners[0].auth).send({ username: owners[4].username }).expect(201);
  await t.http().post(`/api/v1/ideas/${ideas[0].id}/members/accept`).set(owners[4].auth).expect(200);
  for (let i = 0; i < 4; i++) await t.http().post(`/api/v1/ideas/${ideas[i].id}/submit`).set(owners[i].auth).expect(200);
  // Edited after submitting, never resubmitted: the draft was not judged and must not be published.
  await t.http().patch(`/api/v1/ideas/${ideas[1].id}`).set(owners[1].auth).send({ title: 'Unsubmitted draft title', summary: 'Unsubmitted draft summary' }).expect(200);
  const judges = [];
  for (let j = 0; j < 3; j++) judges.push(await aJudge(t, org, { firstName: 'Judge', lastName: `Number${'ABC'[j]}` }));
  t.clock.advance(6 * 60_000);

  const quality = (title: string) => 10 - 'ABCD'.indexOf(title.slice(-1)) * 2;
  await judgeAndPublish(t, org, comp.id, judges, quality, 4);
}, 180_000);

afterAll(async () => {
  await t?.close();
});

describe('GET /open-data/grants.json', () => {
  it('is a valid 360Giving 1.4 package of every funding award, anonymous, in pounds, CC BY 4.0', async () => {
    const res = await t.http().get('/api/v1/open-data/grants.json').expect(200);
    const grant = readStandardJson('360giving-1.4.3', '360-giving-schema.json');
    const pkg = readStandardJson('360giving-1.4.3', '360-giving-package-schema.json');
    const ajv = new Ajv2020({ strict: false, validateSchema: false, allErrors: true });
    addFormats.default(ajv);
    ajv.addSchema(grant);
    const validate = ajv.compile(pkg);
    expect(validate(res.body) ? [] : validate.errors).toEqual([]);

    expect(res.body.license).toBe('https://creativecommons.org/licenses/by/4.0/');
    expect(res.body.grants).toHaveLength(3);
    const first = res.body.grants[0];
    expect(first).toMatchObject({ currency: 'GBP', amountAwarded: 15000, recipientIndividual: { name: 'Individual Recipient' } });
    expect(first.recipientIndividual.id).toMatch(/^360G-/);
    expect(res.body.grants.map((g: { title: string }) => g.title.replace(/^.*: /, '')).sort()).toEqual(['Idea A', 'Idea B', 'Idea C']);
    expect(JSON.stringify(res.body)).not.toContain('Unsubmitted draft');
    const team = res.body.grants.find((g: { title: string }) => g.title.endsWith('Idea A'));
    expect(team.beneficiaryLocation.map((l: { name: string }) => l.name).sort()).toEqual(['London', 'North East']);
    const text = JSON.stringify(res.body);
    for (const surname of SURNAMES) expect(text).not.toContain(surname);
    expect(text).not.toMatch(/@example\.com/);
    // references are stable from one publication to the next
    const again = await t.http().get('/api/v1/open-data/grants.json').expect(200);
    expect(again.body.grants.map((g: { recipientIndividual: { id: string } }) => g.recipientIndividual.id)).toEqual(
      res.body.grants.map((g: { recipientIndividual: { id: string } }) => g.recipientIndividual.id),
    );
  });

  it('dates an award in London: 23:30 UTC on a summer evening is already the next day', async () => {
    const [award] = await t.db.query(`SELECT id, awarded_at FROM funding_award WHERE competition_id = $1 ORDER BY id LIMIT 1`, [competitionId]);
    await t.db.query(`UPDATE funding_award SET awarded_at = '2027-06-30T23:30:00Z' WHERE id = $1`, [award.id]);
    try {
      const res = await t.http().get('/api/v1/open-data/grants.json').expect(200);
      const dates = res.body.grants.map((g: { awardDate: string }) => g.awardDate);
      expect(dates).toContain('2027-07-01');
      expect(dates).not.toContain('2027-06-30');
    } finally {
      await t.db.query(`UPDATE funding_award SET awarded_at = $2 WHERE id = $1`, [award.id, award.awarded_at]);
    }
  });

  it('grants.csv carries the same grants under the 360Giving spreadsheet titles (RFC 4180)', async () => {
    const res = await t.http().get('/api/v1/open-data/grants.csv').expect(200).expect('Content-Type', /text\/csv; charset=utf-8/);
    const lines = res.text.split('\r\n');
    expect(lines[0]).toBe(GRANT_COLUMNS.join(','));
    expect(lines[lines.length - 1]).toBe('');
    expect(lines.filter((l) => l.startsWith('360G-')).length).toBe(4); // the team's grant has two locations
    expect(res.text).toContain('Individual Recipient');
  });
});

describe('GET /open-data/participation.csv', () => {
  it('counts by competition, region, age band and category, publishing 1–4 as "<5" and no totals', async () => {
    const res = await t.http().get('/api/v1/open-data/participation.csv').expect(200);
    const [header, ...rows] = res.text.trim().split('\r\n');
    expect(header).toBe('competition,region,ageBand,category,entrants,submittedIdeas,badgesAwarded');
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      const cells = row.split(',');
      for (const count of cells.slice(4)) expect(count === '0' || count === '<5' || Number(count) >= 5).toBe(true);
    }
    expect(rows.some((r) => r.includes(',London,13-17,health,<5,<5,'))).toBe(true);
    expect(res.text).not.toMatch(/total/i);
  });
});

describe('a judge\'s personal data', () => {
  it('is exported (scores given) and erased with the account, the results untouched', async () => {
    const judge = await aJudge(t, org, { firstName: 'Erin', lastName: 'Gone' });
    await t.http().put('/api/v1/judge/conflicts').set(judge.auth).send({ urns: ['123456'], organisations: ['Acme Ventures'] }).expect(200);
    const exported = await t.http().get('/api/v1/me/export').set(judge.auth).expect(200);
    expect(exported.body.judging.declaredConflicts).toEqual({ urns: ['123456'], organisations: ['Acme Ventures'] });
    expect(exported.body.judging.invitations[0]).toMatchObject({ firstName: 'Erin', lastName: 'Gone' });
    const before = await t.http().get(`/api/v1/public/competitions/${competitionId}/results`).expect(200);
    await t.http().delete('/api/v1/me').set(judge.auth).send({ password: 'violet-harbour-lantern' }).expect(204);
    const [row] = await t.db.query(`SELECT email, first_name FROM judge_invitation WHERE user_id = $1`, [judge.id]);
    expect(row).toEqual({ email: 'erased', first_name: 'Former' });
    expect(await t.db.query(`SELECT * FROM judge_declared_conflicts WHERE judge_id = $1`, [judge.id])).toEqual([]);
    expect((await t.http().get(`/api/v1/public/competitions/${competitionId}/results`).expect(200)).body).toEqual(before.body);
  });
});

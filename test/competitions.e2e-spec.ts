import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestApp, type TestApp } from './support/test-app.js';
import { aCompetition, aTeacher, anOrganiser, errorFields, session } from './support/builders.js';

let t: TestApp;
let org: Awaited<ReturnType<typeof anOrganiser>>;
beforeAll(async () => {
  t = await startTestApp({ worker: false });
  org = await anOrganiser(t);
});
afterAll(async () => {
  await t?.close();
});

const DAY = 24 * 3600_000;
const body = (o: Record<string, unknown> = {}) => ({
  title: 'Ideas 2027',
  slug: `ideas-${Math.random().toString(36).slice(2, 10)}`,
  minAge: 11,
  maxAge: 25,
  opensAt: new Date(Date.now() + DAY).toISOString(),
  closesAt: new Date(Date.now() + 30 * DAY).toISOString(),
  categories: ['health', 'education'],
  ...o,
});

describe('creating and editing competitions', () => {
  it('an organiser creates a competition with SPEC defaults; it stays a hidden draft until published', async () => {
    const res = await t.http().post('/api/v1/competitions').set(org.auth).send(body()).expect(201);
    expect(res.body).toMatchObject({ status: 'draft', maxTeamSize: 4, prizeCount: 3, prizeAmountPence: 1_500_000, publishedAt: null });
    await t.http().get(`/api/v1/competitions/${res.body.id}`).expect(404);
    const list = await t.http().get('/api/v1/competitions?limit=100').expect(200);
    expect(list.body.items.map((c: { id: string }) => c.id)).not.toContain(res.body.id);
    await t.http().get(`/api/v1/competitions/${res.body.id}`).set(org.auth).expect(200);

    const published = await t.http().post(`/api/v1/competitions/${res.body.id}/publish`).set(org.auth).expect(200);
    expect(published.body.status).toBe('upcoming');
    const pub = await t.http().get(`/api/v1/competitions/${res.body.id}`).expect(200);
    expect(pub.body.status).toBe('upcoming');
  });

  it('refuses non-organisers (403) and incoherent input (400 listing fields)', async () => {
    const teacher = await aTeacher(t);
    await t.http().post('/api/v1/competitions').set((await session(t, teacher)).auth).send(body()).expect(403);
    const res = await t.http()
      .post('/api/v1/competitions')
      .set(org.auth)
      .send(body({ minAge: 10, maxAge: 26, slug: 'Not A Slug', categories: [] }))
      .expect(400);
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['categories', 'maxAge', 'minAge', 'slug']);
    const inverted = await t.http()
      .post('/api/v1/competitions')
      .set(org.auth)
      .send(body({ minAge: 18, maxAge: 14, closesAt: new Date(Date.now()).toISOString() }))
      .expect(400);
    expect(inverted.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['closesAt', 'maxAge']);
  });

  it('a slug is unique (409)', async () => {
    const b = body();
    await t.http().post('/api/v1/competitions').set(org.auth).send(b).expect(201);
    expect((await t.http().post('/api/v1/competitions').set(org.auth).send(b).expect(409)).body.code).toBe('SLUG_TAKEN');
  });

  it('status follows the clock: upcoming, open, closed', async () => {
    const c = await aCompetition(t, org, { opensAt: new Date(Date.now() + DAY).toISOString(), closesAt: new Date(Date.now() + 2 * DAY).toISOString() });
    expect(c.status).toBe('upcoming');
    t.clock.advance(DAY + 1000);
    try {
      expect((await t.http().get(`/api/v1/competitions/${c.id}`)).body.status).toBe('open');
      t.clock.advance(DAY);
      expect((await t.http().get(`/api/v1/competitions/${c.id}`)).body.status).toBe('closed');
    } finally {
      t.clock.reset();
    }
  });

  it('after opening only the description and a later closesAt may change', async () => {
    const c = await aCompetition(t, org);
    const refused = await t.http().patch(`/api/v1/competitions/${c.id}`).set(org.auth).send({ title: 'New', maxAge: 18, description: 'ok' }).expect(409);
    expect(refused.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['maxAge', 'title']);
    const earlier = new Date(new Date(c.closesAt).getTime() - DAY).toISOString();
    await t.http().patch(`/api/v1/competitions/${c.id}`).set(org.auth).send({ closesAt: earlier }).expect(409);
    const later = new Date(new Date(c.closesAt).getTime() + DAY).toISOString();
    const ok = await t.http().patch(`/api/v1/competitions/${c.id}`).set(org.auth).send({ closesAt: later, description: 'Now longer.' }).expect(200);
    expect(ok.body).toMatchObject({ closesAt: later, description: 'Now longer.', title: 'Young Ideas 2027' });
    const [row] = await t.db.query(`SELECT eligibility_closes_at FROM competition WHERE id = $1`, [c.id]);
    expect(new Date(row.eligibility_closes_at).toISOString()).toBe(c.closesAt);
  });

  it('before opening everything may change', async () => {
    const created = await t.http().post('/api/v1/competitions').set(org.auth).send(body()).expect(201);
    const res = await t.http().patch(`/api/v1/competitions/${created.body.id}`).set(org.auth).send({ title: 'Renamed', maxTeamSize: 3 }).expect(200);
    expect(res.body).toMatchObject({ title: 'Renamed', maxTeamSize: 3 });
  });

  it.each(['title', 'slug', 'description', 'minAge', 'maxAge', 'opensAt', 'closesAt', 'maxTeamSize', 'prizeCount', 'prizeAmountPence', 'categories'])('null for %s → 400 naming it, before opening; nothing changes', async (field) => {
    const created = (await t.http().post('/api/v1/competitions').set(org.auth).send(body({ description: 'As it was.' })).expect(201)).body;
    expect(errorFields(await t.http().patch(`/api/v1/competitions/${created.id}`).set(org.auth).send({ [field]: null }).expect(400))).toEqual([field]);
    expect((await t.http().get(`/api/v1/competitions/${created.id}`).set(org.auth).expect(200)).body).toEqual(created);
  });

  it('null for description after opening, or for an optional field when creating → 400 naming it; nothing changes', async () => {
    const c = await aCompetition(t, org);
    expect(errorFields(await t.http().patch(`/api/v1/competitions/${c.id}`).set(org.auth).send({ description: null }).expect(400))).toEqual(['description']);
    expect((await t.http().get(`/api/v1/competitions/${c.id}`).expect(200)).body.description).toBe('Digital ideas that make life better.');
    const nulls = { description: null, maxTeamSize: null, prizeCount: null, prizeAmountPence: null };
    const b = body(nulls);
    expect(errorFields(await t.http().post('/api/v1/competitions').set(org.auth).send(b).expect(400)).sort()).toEqual(Object.keys(nulls).sort());
    expect((await t.db.query(`SELECT count(*)::int AS n FROM competition WHERE slug = $1`, [b.slug]))[0].n).toBe(0);
  });

  it('an organiser may close an open competition early, once', async () => {
    const c = await aCompetition(t, org);
    const res = await t.http().post(`/api/v1/competitions/${c.id}/close`).set(org.auth).expect(200);
    expect(res.body.status).toBe('closed');
    expect(res.body.closedAt).not.toBeNull();
    expect(res.body.deadline).toBe(res.body.closedAt);
    await t.http().post(`/api/v1/competitions/${c.id}/close`).set(org.auth).expect(409);
  });

  it('pages the public list newest first', async () => {
    await aCompetition(t, org);
    await aCompetition(t, org);
    const first = await t.http().get('/api/v1/competitions?limit=1').expect(200);
    const second = await t.http().get(`/api/v1/competitions?limit=1&cursor=${first.body.nextCursor}`).expect(200);
    expect(new Date(first.body.items[0].publishedAt ?? 0).getTime()).toBeGreaterThan(0);
    expect(second.body.items[0].id).not.toBe(first.body.items[0].id);
  });
});

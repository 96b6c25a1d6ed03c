import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sanitiseSvg } from '@app/badges';
import { startTestApp, type TestApp } from './support/test-app.js';
import { aSignedInEntrant, anOrganiser, errorFields, type SignedInUser } from './support/builders.js';
import { OB2_CONTEXT, aBadge, dataUri, fetchPublic, pngDataUri, tinyPng } from './support/open-badges.js';

const IMAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'";

let t: TestApp;
let org: SignedInUser;
beforeAll(async () => {
  t = await startTestApp();
  org = await anOrganiser(t);
});
afterAll(async () => {
  await t?.close();
});

async function allBadges(): Promise<any[]> {
  const items: any[] = [];
  let cursor: string | null = null;
  do {
    const res: { body: { items: any[]; nextCursor: string | null } } = await t.http().get('/api/v1/badges').query({ limit: 4, ...(cursor ? { cursor } : {}) }).expect(200);
    items.push(...res.body.items);
    cursor = res.body.nextCursor;
  } while (cursor);
  return items;
}

describe('the catalogue', () => {
  it('holds the six built-in badges with the points of SPEC §2.5, each with a real image', async () => {
    const builtIn = (await allBadges()).filter((b) => b.builtIn);
    expect(Object.fromEntries(builtIn.map((b) => [b.slug, b.points]))).toEqual({
      'idea-maker': 50,
      'team-player': 50,
      shortlisted: 100,
      finalist: 150,
      winner: 250,
      judge: 100,
    });
    for (const badge of builtIn) {
      expect(badge).toMatchObject({ teacherAwardable: false, endorsements: [], imageUrl: `http://young-ideas.test/ob/badges/${badge.slug}/image` });
      const image = await fetchPublic(t, badge.imageUrl);
      expect(image.status).toBe(200);
      expect(image.type).toMatch(/^image\/svg\+xml/);
      expect(image.headers['content-security-policy']).toBe(IMAGE_CSP);
      expect(image.headers['x-content-type-options']).toBe('nosniff');
      expect(image.text).toMatch(/^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
      expect(image.text).toContain(`<title>${badge.name}</title>`);
      // Stored in the form the sanitiser produces: an upload of the same file would be served unchanged.
      expect(sanitiseSvg(image.text)).toEqual({ ok: true, svg: image.text, removed: [] });
    }
  });

  it('is public; only organisers add badges (201, SPEC badge shape)', async () => {
    const entrant = await aSignedInEntrant(t);
    const body = { slug: 'not-allowed', name: 'x', description: 'x', criteria: 'x', category: 'maker', points: 1, image: pngDataUri() };
    await t.http().post('/api/v1/badges').send(body).expect(401);
    await t.http().post('/api/v1/badges').set(entrant.auth).send(body).expect(403);

    const badge = await aBadge(t, org, {
      teacherAwardable: true,
      alignments: [{ targetName: 'Essential digital skills: communicating', targetUrl: 'https://www.gov.uk/guidance/essential-digital-skills-framework' }],
    });
    expect(badge).toEqual({
      id: expect.any(String),
      slug: badge.slug,
      name: 'Pitch perfect',
      description: 'Pitched an idea to a panel in under three minutes.',
      criteria: 'Pitch your idea to a panel of at least two people in under three minutes.',
      category: 'entrepreneur',
      points: 40,
      imageUrl: `http://young-ideas.test/ob/badges/${badge.slug}/image`,
      teacherAwardable: true,
      alignments: [{ targetName: 'Essential digital skills: communicating', targetUrl: 'https://www.gov.uk/guidance/essential-digital-skills-framework' }],
      builtIn: false,
      openBadgesUrl: `http://young-ideas.test/ob/v2/badges/${badge.slug}`,
      endorsements: [],
    });
    const listed = await t.http().get('/api/v1/badges').expect(200);
    expect(listed.body.items[0].id).toBe(badge.id); // newest first
    const citizen = await t.http().get('/api/v1/badges').query({ category: 'citizen' }).expect(200);
    expect(citizen.body.items.map((b: { slug: string }) => b.slug)).toEqual(['judge']);
    await t.http().get('/api/v1/badges').query({ category: 'wizard' }).expect(400);

    const image = await fetchPublic(t, badge.imageUrl);
    expect(image.type).toBe('image/png');
    expect(image.headers['content-security-policy']).toBe(IMAGE_CSP);
    expect(image.headers['x-content-type-options']).toBe('nosniff');
    expect(Buffer.compare(image.bytes, Buffer.from(tinyPng()))).toBe(0);
  });

  it('refuses a taken slug (409) and lists every bad field (400)', async () => {
    const badge = await aBadge(t, org);
    const again = await t.http().post('/api/v1/badges').set(org.auth).send({
      slug: badge.slug, name: 'Again', description: 'd', criteria: 'c', category: 'maker', points: 5, image: pngDataUri(),
    });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('BADGE_SLUG_TAKEN');

    const bad = await t.http().post('/api/v1/badges').set(org.auth).send({
      slug: 'Not A Slug', name: '', description: 'd', criteria: 'c', category: 'wizard', points: -1, image: pngDataUri(),
      alignments: [{ targetName: 'x', targetUrl: 'javascript:alert(1)' }],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(
      ['alignments.0.targetUrl', 'category', 'name', 'points', 'slug'],
    );
  });

  it.each(['teacherAwardable', 'alignments'])('null for %s → 400 naming it; no badge is added', async (field) => {
    const slug = `null-${field.toLowerCase()}`;
    const body = { slug, name: 'x', description: 'x', criteria: 'x', category: 'maker', points: 1, image: pngDataUri(), [field]: null };
    expect(errorFields(await t.http().post('/api/v1/badges').set(org.auth).send(body).expect(400))).toEqual([field]);
    expect((await allBadges()).map((b) => b.slug)).not.toContain(slug);
  });

  it('accepts PNG or SVG data URIs of at most 256 KB, and nothing else', async () => {
    const post = (image: string) =>
      t.http().post('/api/v1/badges').set(org.auth).send({ slug: `img-${Math.random().toString(36).slice(2, 9)}`, name: 'n', description: 'd', criteria: 'c', category: 'gamer', points: 1, image });
    const gif = await post(dataUri('image/gif', Buffer.from('GIF89a')));
    expect(gif.status).toBe(400);
    expect(gif.body.errors[0]).toMatchObject({ field: 'image', message: expect.stringMatching(/Unsupported image type "image\/gif"/) });
    const notPng = await post(dataUri('image/png', Buffer.from('not a png at all')));
    expect(notPng.status).toBe(400);
    expect(notPng.body.errors[0].message).toMatch(/not a valid PNG/);
    const big = Buffer.alloc(256 * 1024 + 1, 0x20);
    const huge = await post(dataUri('image/svg+xml', Buffer.concat([Buffer.from('<svg xmlns="http://www.w3.org/2000/svg">'), big, Buffer.from('</svg>')])));
    expect(huge.status).toBe(400);
    expect(huge.body.errors[0].message).toMatch(/256 KB/);
    await post('https://example.org/badge.png').expect(400);
  });

  it('sanitises SVG images: scripts, event handlers, foreignObject and external references never reach the served file', async () => {
    const hostile =
      '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10" onload="alert(1)">' +
      '<script>alert(2)</script><foreignObject><iframe src="https://evil.example"/></foreignObject>' +
      '<image xlink:href="https://evil.example/track.png" width="1" height="1"/>' +
      '<a href="javascript:alert(3)"><circle cx="5" cy="5" r="4" fill="url(https://evil.example/#x)" style="fill:red"/></a>' +
      '<rect width="10" height="10" fill="#3b2bd6"/></svg>';
    const badge = await aBadge(t, org, { image: `data:image/svg+xml;charset=utf-8,${encodeURIComponent(hostile)}` });
    const image = await fetchPublic(t, badge.imageUrl);
    expect(image.type).toMatch(/^image\/svg\+xml/);
    expect(image.headers['content-security-policy']).toBe(IMAGE_CSP);
    for (const bad of ['script', 'onload', 'foreignObject', 'iframe', 'evil.example', 'javascript:', 'alert'])
      expect(image.text).not.toContain(bad);
    expect(image.text).toContain('<rect width="10" height="10" fill="#3b2bd6"/>');

    const unparsable = await t.http().post('/api/v1/badges').set(org.auth).send({
      slug: 'broken-svg', name: 'n', description: 'd', criteria: 'c', category: 'gamer', points: 1,
      image: dataUri('image/svg+xml', '<svg xmlns="http://www.w3.org/2000/svg"><rect></svg>'),
    });
    expect(unparsable.status).toBe(400);
    expect(unparsable.body.errors[0]).toMatchObject({ field: 'image', message: expect.stringMatching(/^The SVG was refused/) });
  });

  it('records industry endorsements (organisers, dated) and publishes them as OB 2.0 Endorsements linked from the BadgeClass', async () => {
    const badge = await aBadge(t, org);
    const body = { endorserName: 'Tech Skills Alliance', endorserUrl: 'https://techskills.example.org', comment: 'Matches our entry-level pitching standard.' };
    const entrant = await aSignedInEntrant(t);
    await t.http().post(`/api/v1/badges/${badge.id}/endorsements`).set(entrant.auth).send(body).expect(403);
    await t.http().post(`/api/v1/badges/00000000-0000-4000-8000-000000000000/endorsements`).set(org.auth).send(body).expect(404);
    await t.http().post(`/api/v1/badges/${badge.id}/endorsements`).set(org.auth).send({ ...body, endorserUrl: 'ftp://x.example' }).expect(400);
    const before = Date.now();
    const res = await t.http().post(`/api/v1/badges/${badge.id}/endorsements`).set(org.auth).send(body).expect(201);
    expect(res.body).toEqual({
      id: expect.any(String), badgeId: badge.id, ...body, createdAt: expect.any(String), url: `http://young-ideas.test/ob/v2/endorsements/${res.body.id}`,
    });
    expect(Date.parse(res.body.createdAt)).toBeGreaterThanOrEqual(before - 1000);
    const listed = (await allBadges()).find((b) => b.id === badge.id);
    expect(listed.endorsements).toEqual([res.body]);

    const badgeClass = await fetchPublic(t, badge.openBadgesUrl);
    expect(badgeClass.status).toBe(200);
    expect(badgeClass.type).toMatch(/^application\/ld\+json/);
    expect(badgeClass.headers['access-control-allow-origin']).toBe('*');
    expect(badgeClass.json).toEqual({
      '@context': OB2_CONTEXT,
      type: 'BadgeClass',
      id: badge.openBadgesUrl,
      name: 'Pitch perfect',
      description: 'Pitched an idea to a panel in under three minutes.',
      image: badge.imageUrl,
      criteria: { narrative: 'Pitch your idea to a panel of at least two people in under three minutes.' },
      issuer: 'http://young-ideas.test/ob/v2/issuer',
      tags: ['entrepreneur'],
      endorsement: [res.body.url],
    });
    const endorsement = await fetchPublic(t, res.body.url);
    expect(endorsement.type).toMatch(/^application\/ld\+json/);
    expect(endorsement.json).toEqual({
      '@context': OB2_CONTEXT,
      type: 'Endorsement',
      id: res.body.url,
      issuer: { type: 'Profile', name: 'Tech Skills Alliance', url: 'https://techskills.example.org' },
      claim: { id: badge.openBadgesUrl, endorsementComment: body.comment },
      issuedOn: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      verification: { type: 'hosted' },
    });
  });

  it('serves the issuer profile and answers 404 for unknown documents', async () => {
    const issuer = await fetchPublic(t, 'http://young-ideas.test/ob/v2/issuer');
    expect(issuer.type).toMatch(/^application\/ld\+json/);
    expect(issuer.json).toEqual({
      '@context': OB2_CONTEXT,
      type: 'Issuer',
      id: 'http://young-ideas.test/ob/v2/issuer',
      name: 'Young Ideas',
      url: 'http://young-ideas.test',
      email: 'badges@young-ideas.local',
      revocationList: 'http://young-ideas.test/ob/v2/revocations',
    });
    for (const path of ['/ob/v2/badges/no-such-badge', '/ob/badges/no-such-badge/image', '/ob/v2/assertions/not-a-uuid', '/ob/v2/endorsements/7d0c1b7e-7a0e-4f7c-9a55-0f1e2d3c4b5a', '/ob/v3/status/0', '/ob/v3/status/99999', '/ob/v3/credentials/7d0c1b7e-7a0e-4f7c-9a55-0f1e2d3c4b5a']) {
      const res = await t.http().get(path);
      expect([path, res.status, res.headers['content-type']]).toEqual([path, 404, expect.stringMatching(/^application\/problem\+json/)]);
    }
    // The documents are on the public base URL, not under /api/v1.
    await t.http().get('/api/v1/ob/v2/issuer').expect(404);
  });

  it('documents the /api/v1 badge endpoints in OpenAPI, and not the Open Badges documents', async () => {
    const doc = (await t.http().get('/api/docs-json').expect(200)).body;
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining([
      '/api/v1/badges', '/api/v1/badges/{id}/endorsements', '/api/v1/badges/{id}/awards', '/api/v1/badge-awards/{id}/revoke', '/api/v1/me/badges',
    ]));
    expect(Object.keys(doc.paths).filter((p) => p.startsWith('/ob'))).toEqual([]);
    expect(doc.components.schemas.BadgeDto.required).toEqual(expect.arrayContaining(['id', 'slug', 'name', 'description', 'criteria', 'category', 'points', 'imageUrl', 'teacherAwardable', 'endorsements']));
  });
});


import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  decodeStatusList,
  extractPngBadge,
  extractSvgBadge,
  hashIdentity,
  isRevoked,
  verifyCredential,
  type DocumentLoader,
} from '@app/badges';
import { startTestApp, type TestApp } from './support/test-app.js';
import { aSignedInEntrant, anOrganiser, type SignedInUser } from './support/builders.js';
import { OB2_CONTEXT, aBadge, achievementCredentialValidator, fetchPublic, verifierLoader, type Fetched } from './support/open-badges.js';

const SURNAME = 'Featherstonehaugh';
const IMAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'";
const validate = achievementCredentialValidator();

let t: TestApp;
let org: SignedInUser;
/** Every public document fetched in this file, to check none holds a person's private details. */
const published: Fetched[] = [];

async function fetchDoc(url: string): Promise<Fetched> {
  const res = await fetchPublic(t, url);
  published.push(res);
  return res;
}

beforeAll(async () => {
  t = await startTestApp();
  org = await anOrganiser(t);
});
afterAll(async () => {
  await t?.close();
});

function awardTo(recipient: { id: string }, badge: { id: string }, evidence: object = { narrative: 'Pitched a recycling app to the class in two minutes.' }) {
  return t.http().post(`/api/v1/badges/${badge.id}/awards`).set(org.auth).send({ recipientId: recipient.id, evidence });
}

/** A deep copy with one change. */
function tampered(credential: object, change: (copy: any) => void): object {
  const copy = structuredClone(credential);
  change(copy);
  return copy;
}

describe('an organiser award, as Open Badges 3.0', () => {
  let learner: SignedInUser;
  let award: any;
  let credential: any;
  let loader: DocumentLoader;

  beforeAll(async () => {
    learner = await aSignedInEntrant(t, { lastName: SURNAME });
    const badge = await aBadge(t, org, { alignments: [{ targetName: 'Pitching', targetUrl: 'https://skills.example.org/pitching' }] });
    const res = await awardTo(learner, badge, { narrative: 'Pitched a recycling app to the class in two minutes.', url: 'https://example.org/pitch-video' });
    expect(res.status).toBe(201);
    award = res.body;
    const fetched = await fetchDoc(award.openBadges.credentialUrl);
    expect(fetched.status).toBe(200);
    expect(fetched.type).toMatch(/^application\/vc\+ld\+json/);
    credential = fetched.json;
    loader = await verifierLoader(t, credential);
  });

  it('answers 201 with the award, its evidence and its Open Badges URLs', () => {
    expect(award).toEqual({
      id: expect.any(String),
      badgeId: expect.any(String),
      badge: { slug: expect.any(String), name: 'Pitch perfect', category: 'entrepreneur', points: 40 },
      recipientId: learner.id,
      method: 'organiser',
      evidence: { narrative: 'Pitched a recycling app to the class in two minutes.', url: 'https://example.org/pitch-video' },
      issuedAt: expect.any(String),
      revoked: false,
      revokedAt: null,
      revocationReason: null,
      openBadges: {
        assertionUrl: `http://young-ideas.test/ob/v2/assertions/${award.id}`,
        credentialUrl: `http://young-ideas.test/ob/v3/credentials/${award.id}`,
      },
    });
  });

  it('is an OpenBadgeCredential valid against the OB 3.0 JSON schema, every 0..* property an array', () => {
    const result = validate(credential);
    expect(result.errors).toEqual([]);
    expect(result.valid).toBe(true);
    expect(credential['@context']).toEqual(['https://www.w3.org/ns/credentials/v2', 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json']);
    expect(credential.type).toEqual(['VerifiableCredential', 'OpenBadgeCredential']);
    expect(credential.issuer).toEqual({ id: 'http://young-ideas.test/ob/v3/issuer', type: ['Profile'], name: 'Young Ideas', url: 'http://young-ideas.test', email: 'badges@young-ideas.local' });
    expect(Array.isArray(credential.proof)).toBe(true);
    expect(credential.proof[0]).toMatchObject({
      type: 'DataIntegrityProof',
      cryptosuite: 'eddsa-rdfc-2022',
      proofPurpose: 'assertionMethod',
      verificationMethod: 'http://young-ideas.test/ob/v3/issuer#key-1',
    });
    expect(credential.credentialSubject.achievement).toMatchObject({
      id: `http://young-ideas.test/ob/v2/badges/${award.badge.slug}`,
      type: ['Achievement'],
      name: 'Pitch perfect',
      criteria: { narrative: expect.any(String) },
      image: { id: `http://young-ideas.test/ob/badges/${award.badge.slug}/image`, type: 'Image' },
      alignment: [{ type: ['Alignment'], targetName: 'Pitching', targetUrl: 'https://skills.example.org/pitching' }],
    });
    expect(credential.evidence).toEqual([{ type: ['Evidence'], id: 'https://example.org/pitch-video', narrative: 'Pitched a recycling app to the class in two minutes.' }]);
  });

  it('identifies the recipient by a salted hash of their email, which recomputes', () => {
    const [identifier] = credential.credentialSubject.identifier;
    expect(identifier).toMatchObject({ type: 'IdentityObject', identityType: 'emailAddress', hashed: true });
    expect(identifier.identityHash).toBe(hashIdentity(learner.email!, identifier.salt));
  });

  it('verifies offline with only bundled contexts and documents fetched from the app (controller document, status list)', async () => {
    const controller = await fetchDoc(credential.issuer.id);
    expect(controller.json).toEqual({
      '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/multikey/v1'],
      id: 'http://young-ideas.test/ob/v3/issuer',
      assertionMethod: [{ id: 'http://young-ideas.test/ob/v3/issuer#key-1', type: 'Multikey', controller: 'http://young-ideas.test/ob/v3/issuer', publicKeyMultibase: expect.stringMatching(/^z6Mk/) }],
    });
    const result = await verifyCredential(credential, { documentLoader: loader });
    expect(result.errors).toEqual([]);
    expect(result).toMatchObject({ verified: true, revoked: false });
  });

  it('fails verification when any field is changed', async () => {
    const changes: Array<(c: any) => void> = [
      (c) => (c.name = 'Gold medal'),
      (c) => (c.credentialSubject.achievement.name = 'Winner'),
      (c) => (c.credentialSubject.identifier[0].identityHash = hashIdentity('someone.else@example.com', c.credentialSubject.identifier[0].salt)),
      (c) => (c.validFrom = '2020-01-01T00:00:00Z'),
      (c) => (c.evidence[0].narrative = 'Did something else.'),
      (c) => (c.credentialStatus.statusListIndex = String(Number(c.credentialStatus.statusListIndex) + 1)),
      (c) => (c.issuer.name = 'Not Young Ideas'),
    ];
    for (const change of changes) {
      const result = await verifyCredential(tampered(credential, change), { documentLoader: loader, checkStatus: false });
      expect(result.verified).toBe(false);
    }
  });

  it('points at a signed BitstringStatusListCredential (VC 2.0 context, same issuer, ≥ 131,072 entries)', async () => {
    expect(credential.credentialStatus).toMatchObject({
      type: 'BitstringStatusListEntry',
      statusPurpose: 'revocation',
      statusListCredential: expect.stringMatching(/^http:\/\/young-ideas\.test\/ob\/v3\/status\/\d+$/),
    });
    const list = await fetchDoc(credential.credentialStatus.statusListCredential);
    expect(list.type).toMatch(/^application\/vc\+ld\+json/);
    expect(list.json).toMatchObject({
      '@context': ['https://www.w3.org/ns/credentials/v2'],
      type: ['VerifiableCredential', 'BitstringStatusListCredential'],
      issuer: credential.issuer.id,
      credentialSubject: { type: 'BitstringStatusList', statusPurpose: 'revocation' },
    });
    expect((await decodeStatusList(list.json.credentialSubject.encodedList)).length).toBeGreaterThanOrEqual(131_072);
    expect(await verifyCredential(list.json, { documentLoader: loader })).toMatchObject({ verified: true });
  });

  it('takes status list indices at random', async () => {
    const badge = await aBadge(t, org);
    const indices = [Number(credential.credentialStatus.statusListIndex)];
    for (let i = 0; i < 4; i++) {
      const person = await aSignedInEntrant(t);
      const res = await awardTo(person, badge).expect(201);
      const c = (await fetchDoc(res.body.openBadges.credentialUrl)).json;
      indices.push(Number(c.credentialStatus.statusListIndex));
    }
    expect(new Set(indices).size).toBe(5);
    // Sequential allocation would give 0–4; five random draws from 131,072 below 1,000 are vanishingly unlikely.
    expect(indices.filter((i) => i < 1000).length).toBeLessThan(5);
  });

  it('bakes the credential into the badge image (PNG: one iTXt chunk "openbadgecredential")', async () => {
    const baked = await fetchDoc(`http://young-ideas.test/ob/v3/credentials/${award.id}/image`);
    expect(baked.status).toBe(200);
    expect(baked.type).toBe('image/png');
    expect(baked.headers['content-security-policy']).toBe(IMAGE_CSP);
    expect(baked.headers['x-content-type-options']).toBe('nosniff');
    const inside = extractPngBadge(baked.bytes);
    expect(inside?.version).toBe('3.0');
    expect(JSON.parse(inside!.json!)).toEqual(credential);
  });
});

describe('an organiser award, as an Open Badges 2.0 hosted assertion', () => {
  let learner: SignedInUser;
  let award: any;
  let assertion: any;

  beforeAll(async () => {
    learner = await aSignedInEntrant(t, { lastName: SURNAME });
    const badge = await aBadge(t, org);
    award = (await awardTo(learner, badge).expect(201)).body;
    const fetched = await fetchDoc(award.openBadges.assertionUrl);
    expect(fetched.status).toBe(200);
    expect(fetched.type).toMatch(/^application\/ld\+json/);
    assertion = fetched.json;
  });

  it('is hosted on the issuer origin with a hashed recipient that recomputes from the email and salt', () => {
    expect(assertion).toEqual({
      '@context': OB2_CONTEXT,
      type: 'Assertion',
      id: award.openBadges.assertionUrl,
      recipient: { type: 'email', hashed: true, salt: expect.any(String), identity: expect.stringMatching(/^sha256\$[0-9a-f]{64}$/) },
      badge: `http://young-ideas.test/ob/v2/badges/${award.badge.slug}`,
      verification: { type: 'hosted' },
      issuedOn: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      image: `${award.openBadges.assertionUrl}/image`,
      evidence: [{ type: 'Evidence', narrative: 'Pitched a recycling app to the class in two minutes.' }],
    });
    expect(assertion.recipient.identity).toBe(hashIdentity(learner.email!, assertion.recipient.salt));
    expect(new URL(assertion.id).origin).toBe(new URL('http://young-ideas.test/ob/v2/issuer').origin);
  });

  it('links a badge class, issuer and image that resolve with the right types', async () => {
    const badgeClass = await fetchDoc(assertion.badge);
    expect(badgeClass.type).toMatch(/^application\/ld\+json/);
    expect(badgeClass.json).toMatchObject({ '@context': OB2_CONTEXT, type: 'BadgeClass', id: assertion.badge });
    const issuer = await fetchDoc(badgeClass.json.issuer);
    expect(issuer.type).toMatch(/^application\/ld\+json/);
    expect(issuer.json).toMatchObject({ type: 'Issuer', id: badgeClass.json.issuer, name: 'Young Ideas', email: 'badges@young-ideas.local' });
    const image = await fetchDoc(badgeClass.json.image);
    expect(image.type).toBe('image/png');
    expect(image.headers['content-security-policy']).toBe(IMAGE_CSP);
    const baked = await fetchDoc(assertion.image);
    expect(baked.type).toBe('image/png');
    expect(baked.headers['content-security-policy']).toBe(IMAGE_CSP);
    const inside = extractPngBadge(baked.bytes);
    expect(inside?.version).toBe('2.0');
    expect(JSON.parse(inside!.json!)).toEqual(assertion);
  });

  it('bakes SVG badges into SVG (openbadges:assertion and openbadges:credential)', async () => {
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10" fill="#0f766e"/></svg>';
    const badge = await aBadge(t, org, { image: `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}` });
    const svgAward = (await awardTo(learner, badge).expect(201)).body;
    const v2 = await fetchDoc(`${svgAward.openBadges.assertionUrl}/image`);
    expect(v2.type).toMatch(/^image\/svg\+xml/);
    expect(v2.headers['content-security-policy']).toBe(IMAGE_CSP);
    expect(extractSvgBadge(v2.text)).toMatchObject({ version: '2.0', assertionUrl: svgAward.openBadges.assertionUrl });
    const v3 = await fetchDoc(`${svgAward.openBadges.credentialUrl}/image`);
    expect(v3.type).toMatch(/^image\/svg\+xml/);
    const inside = extractSvgBadge(v3.text);
    expect(inside?.version).toBe('3.0');
    expect(JSON.parse(inside!.json!).id).toBe(svgAward.openBadges.credentialUrl);
    expect(v3.text.match(/<openbadges:credential>/g)).toHaveLength(1);
  });
});

describe('one live award per badge and person; revocation', () => {
  it('refuses a second live award (409), revokes with a reason (410 + listed; status bit set; verification fails), then allows re-issue', async () => {
    const learner = await aSignedInEntrant(t, { lastName: SURNAME });
    const badge = await aBadge(t, org);
    const first = (await awardTo(learner, badge).expect(201)).body;
    const duplicate = await awardTo(learner, badge);
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.code).toBe('BADGE_ALREADY_AWARDED');

    const credential = (await fetchDoc(first.openBadges.credentialUrl)).json;
    expect((await verifyCredential(credential, { documentLoader: await verifierLoader(t, credential) })).verified).toBe(true);

    const entrant = await aSignedInEntrant(t);
    await t.http().post(`/api/v1/badge-awards/${first.id}/revoke`).set(entrant.auth).send({ reason: 'Awarded by mistake.' }).expect(403);
    await t.http().post(`/api/v1/badge-awards/${first.id}/revoke`).set(org.auth).send({}).expect(400);
    const named = await t.http().post(`/api/v1/badge-awards/${first.id}/revoke`).set(org.auth).send({ reason: `Given to the wrong ${SURNAME} child.` });
    expect(named.status).toBe(400);
    expect(named.body.errors).toEqual([{ field: 'reason', message: expect.stringMatching(/surname/) }]);
    await t.http().post(`/api/v1/badge-awards/${first.id}/revoke`).set(org.auth).send({ reason: 'Awarded by mistake.' }).expect(204);
    const again = await t.http().post(`/api/v1/badge-awards/${first.id}/revoke`).set(org.auth).send({ reason: 'Awarded by mistake.' });
    expect(again.status).toBe(409);

    const gone = await fetchDoc(first.openBadges.assertionUrl);
    expect(gone.status).toBe(410);
    expect(gone.type).toMatch(/^application\/ld\+json/);
    expect(gone.json).toEqual({ id: first.openBadges.assertionUrl, revoked: true, revocationReason: 'Awarded by mistake.' });
    expect((await fetchDoc(`${first.openBadges.assertionUrl}/image`)).status).toBe(410);
    const revocations = await fetchDoc('http://young-ideas.test/ob/v2/revocations');
    expect(revocations.type).toMatch(/^application\/ld\+json/);
    expect(revocations.json).toMatchObject({ '@context': OB2_CONTEXT, type: 'RevocationList', issuer: 'http://young-ideas.test/ob/v2/issuer' });
    expect(revocations.json.revokedAssertions).toContainEqual({ id: first.openBadges.assertionUrl, revocationReason: 'Awarded by mistake.' });

    // The 3.0 credential stays served, unchanged; its bit is now set in the re-signed status list.
    const still = await fetchDoc(first.openBadges.credentialUrl);
    expect(still.status).toBe(200);
    expect(still.json).toEqual(credential);
    const list = (await fetchDoc(credential.credentialStatus.statusListCredential)).json;
    expect(isRevoked(await decodeStatusList(list.credentialSubject.encodedList), Number(credential.credentialStatus.statusListIndex))).toBe(true);
    const loader = await verifierLoader(t, credential);
    expect(await verifyCredential(list, { documentLoader: loader })).toMatchObject({ verified: true });
    const checked = await verifyCredential(credential, { documentLoader: loader });
    expect(checked).toMatchObject({ verified: false, revoked: true });
    expect(await verifyCredential(credential, { documentLoader: loader, checkStatus: false })).toMatchObject({ verified: true });

    const mine = await t.http().get('/api/v1/me/badges').set(learner.auth).expect(200);
    expect(mine.body.items.find((i: { id: string }) => i.id === first.id)).toMatchObject({ revoked: true });

    const reissued = await awardTo(learner, badge).expect(201);
    expect(reissued.body.id).not.toBe(first.id);
    const fresh = (await fetchDoc(reissued.body.openBadges.credentialUrl)).json;
    expect(await verifyCredential(fresh, { documentLoader: await verifierLoader(t, fresh) })).toMatchObject({ verified: true, revoked: false });
    await t.http().post(`/api/v1/badge-awards/00000000-0000-4000-8000-000000000000/revoke`).set(org.auth).send({ reason: 'Nothing.' }).expect(404);
  });
});

describe('serving credentials to verifiers', () => {
  it('answers repeat fetches from memory with the same bytes and headers as the route, and 304 to If-None-Match', async () => {
    const learner = await aSignedInEntrant(t);
    const res = (await awardTo(learner, await aBadge(t, org)).expect(201)).body;
    const path = new URL(res.openBadges.credentialUrl).pathname;
    const first = await t.http().get(path).expect(200); // the Nest route (a miss: the award answer did not fetch it)
    const second = await t.http().get(path).expect(200); // the fast lane
    expect(first.headers['x-request-id']).toBeDefined();
    expect(second.headers['x-request-id']).toBeUndefined();
    expect(second.text).toBe(first.text);
    const compared = ['content-type', 'content-length', 'etag', 'cache-control', 'content-security-policy', 'x-content-type-options',
      'access-control-allow-origin', 'cross-origin-resource-policy', 'strict-transport-security', 'x-frame-options', 'referrer-policy', 'ratelimit-limit'];
    const pick = (headers: Record<string, string>) => Object.fromEntries(compared.map((h) => [h, headers[h]]));
    expect(pick(second.headers)).toEqual(pick(first.headers));
    expect(first.headers['content-security-policy']).toBe("default-src 'none'");
    const notModified = await t.http().get(path).set('If-None-Match', first.headers.etag).expect(304);
    expect(notModified.text).toBe('');
  });
});

describe('concurrent awards', () => {
  it('of one badge to one person make exactly one award; the others answer 409', async () => {
    const learner = await aSignedInEntrant(t);
    const badge = await aBadge(t, org);
    const answers = await Promise.all(Array.from({ length: 5 }, () => awardTo(learner, badge)));
    expect(answers.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409]);
    const rows = await t.db.query(`SELECT count(*)::int AS n FROM badge_award WHERE recipient_id = $1`, [learner.id]);
    expect(rows[0].n).toBe(1);
  });
});

describe('privacy of public documents', () => {
  it('never holds a plaintext email, surname or username of anyone awarded in this file', async () => {
    const people = await t.db.query(`SELECT email, last_name, username FROM users WHERE last_name = $1`, [SURNAME]);
    expect(people.length).toBeGreaterThan(2);
    expect(published.length).toBeGreaterThan(20);
    for (const doc of published) {
      const text = doc.bytes.toString('latin1') + doc.text;
      for (const person of people) {
        expect(text).not.toContain(person.email);
        expect(text.toLowerCase()).not.toContain(SURNAME.toLowerCase());
        expect(text).not.toContain(person.username);
      }
    }
  });

  it('refuses evidence that would publish the surname, an email or a postcode (400), and non-https evidence links', async () => {
    const learner = await aSignedInEntrant(t, { lastName: SURNAME });
    const badge = await aBadge(t, org);
    const cases: Array<[object, string]> = [
      [{ narrative: `Great pitch by Amira ${SURNAME}.` }, 'evidence.narrative'],
      [{ narrative: `Contact ${learner.email} for the video.` }, 'evidence.narrative'],
      [{ narrative: 'Pitched at the SW1A 1AA community hall.' }, 'evidence.narrative'],
      [{ narrative: 'Fine.', url: 'http://example.org/video' }, 'evidence.url'],
    ];
    for (const [evidence, field] of cases) {
      const res = await awardTo(learner, badge, evidence);
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual([field]);
    }
    await awardTo(learner, badge, { narrative: 'Amira pitched brilliantly.' }).expect(201);
  });
});

import { describe, expect, it } from '@jest/globals';
import { generateSecretKeyMultibase, importIssuerKey, previousKeyEntry, verifyCredential } from '@app/badges';
import { startTestApp, type TestApp } from './support/test-app.js';
import { aSignedInEntrant, anOrganiser } from './support/builders.js';
import { aBadge, fetchPublic, verifierLoader } from './support/open-badges.js';

const ISSUER = 'http://young-ideas.test/ob/v3/issuer';

/** A badge awarded by a new organiser to a new entrant; returns the award and its served credential. */
async function anAward(t: TestApp) {
  const org = await anOrganiser(t);
  const learner = await aSignedInEntrant(t);
  const badge = await aBadge(t, org);
  const award = (
    await t.http().post(`/api/v1/badges/${badge.id}/awards`).set(org.auth).send({ recipientId: learner.id, evidence: { narrative: 'Ran a user test with ten classmates.' } }).expect(201)
  ).body;
  return { org, award, credential: (await fetchPublic(t, award.openBadges.credentialUrl)).json };
}

describe('rotating the badge signing key (README: BADGE_SIGNING_KEY_ID, BADGE_PREVIOUS_KEYS)', () => {
  it('keeps what the old key signed verifiable, signs new credentials and status lists with the new key', async () => {
    const oldSecret = generateSecretKeyMultibase();
    const before = await startTestApp({ env: { BADGE_SIGNING_KEY: oldSecret } });
    let earlier: Awaited<ReturnType<typeof anAward>>;
    try {
      earlier = await anAward(before);
      expect(earlier.credential.proof[0].verificationMethod).toBe(`${ISSUER}#key-1`);
    } finally {
      await before.close();
    }

    // The same database and Redis, restarted with a new key and the old one's public half.
    const env = { DATABASE_URL: before.config.db.url, REDIS_PREFIX: before.config.redis.prefix, BADGE_SIGNING_KEY: generateSecretKeyMultibase(), BADGE_SIGNING_KEY_ID: 'key-2' };
    const after = await startTestApp({ env: { ...env, BADGE_PREVIOUS_KEYS: previousKeyEntry(await importIssuerKey(ISSUER, oldSecret)) } });
    try {
      const controller = (await fetchPublic(after, ISSUER)).json;
      expect(controller.assertionMethod.map((m: { id: string }) => m.id)).toEqual([`${ISSUER}#key-2`, `${ISSUER}#key-1`]);
      const served = (await fetchPublic(after, earlier.award.openBadges.credentialUrl)).json;
      expect(served).toEqual(earlier.credential);
      expect(await verifyCredential(served, { documentLoader: await verifierLoader(after, served) })).toMatchObject({ verified: true, revoked: false });

      const later = await anAward(after);
      expect(later.credential.proof[0].verificationMethod).toBe(`${ISSUER}#key-2`);
      expect(await verifyCredential(later.credential, { documentLoader: await verifierLoader(after, later.credential) })).toMatchObject({ verified: true });

      // Revoking the earlier award re-signs its status list with the new key; the revocation is seen.
      await after.http().post(`/api/v1/badge-awards/${earlier.award.id}/revoke`).set(later.org.auth).send({ reason: 'Awarded by mistake.' }).expect(204);
      const loader = await verifierLoader(after, served);
      const list = await loader(served.credentialStatus.statusListCredential);
      expect((list.document as { proof: { verificationMethod: string }[] }).proof[0].verificationMethod).toBe(`${ISSUER}#key-2`);
      expect(await verifyCredential(served, { documentLoader: loader })).toMatchObject({ verified: false, revoked: true });
    } finally {
      await after.close();
    }

    // Without the old key published (a compromised key, withdrawn), what it signed no longer verifies.
    const withdrawn = await startTestApp({ env });
    try {
      const served = (await fetchPublic(withdrawn, earlier.award.openBadges.credentialUrl)).json;
      const result = await verifyCredential(served, { documentLoader: await verifierLoader(withdrawn, served), checkStatus: false });
      expect(result.verified).toBe(false);
    } finally {
      await withdrawn.close();
    }
  }, 60_000);
});

import { beforeAll, describe, expect, it } from '@jest/globals';
import {
  BASE_URL,
  ISSUER_ID,
  LEARNER,
  STATUS_LIST_URL,
  achievementCredentialValidator,
  createTestIssuer,
  sampleCredentialInput,
  type TestIssuer,
} from '../../testing/open-badges-fixtures.js';
import {
  buildOpenBadgeCredential,
  issueOpenBadgeCredential,
  verifyCredential,
  type SignedOpenBadgeCredential,
} from './credential.js';
import { buildControllerDocument, generateIssuerKey } from './keys.js';
import { createDocumentLoader } from './document-loader.js';
import { hashIdentity, hashRecipient, recipientIdentity } from './recipient.js';
import { createStatusList, encodeStatusList, setRevoked } from './status-list.js';

const validate = achievementCredentialValidator();
let issuer: TestIssuer;
let credential: SignedOpenBadgeCredential;

beforeAll(async () => {
  issuer = await createTestIssuer();
  credential = await issueOpenBadgeCredential(sampleCredentialInput(), {
    key: issuer.key,
    documentLoader: issuer.loader,
    created: new Date('2025-03-01T10:15:31Z'),
  });
});

/** A deep copy with one change applied. */
function tampered(change: (copy: Record<string, any>) => void): Record<string, unknown> {
  const copy = structuredClone(credential) as Record<string, any>;
  change(copy);
  return copy;
}

describe('OpenBadgeCredential', () => {
  it('has the OB 3.0 shape, with every 0..* property (proof included) as an array', () => {
    expect(credential['@context']).toEqual([
      'https://www.w3.org/ns/credentials/v2',
      'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json',
    ]);
    expect(credential.type).toEqual(['VerifiableCredential', 'OpenBadgeCredential']);
    expect(credential.issuer).toEqual({
      id: ISSUER_ID,
      type: ['Profile'],
      name: 'Young Ideas',
      url: 'https://young-ideas.example/about',
    });
    expect(credential.validFrom).toBe('2025-03-01T10:15:30Z');
    expect(credential.name).toBe('Idea maker');
    const subject = credential.credentialSubject;
    expect(subject.type).toEqual(['AchievementSubject']);
    expect(subject.identifier).toEqual([
      {
        type: 'IdentityObject',
        identityHash: hashIdentity(LEARNER.email.toLowerCase(), 'c0ffee0123456789'),
        identityType: 'emailAddress',
        hashed: true,
        salt: 'c0ffee0123456789',
      },
    ]);
    expect(subject.achievement).toMatchObject({
      id: `${BASE_URL}/ob/v2/badges/idea-maker`,
      type: ['Achievement'],
      achievementType: 'Badge',
      criteria: { narrative: 'Submit your first idea to any competition.' },
      image: { id: `${BASE_URL}/ob/badges/idea-maker/image`, type: 'Image', caption: 'Idea maker badge' },
      alignment: [{ type: ['Alignment'], targetName: 'Creativity', targetUrl: 'https://skills.example/creativity' }],
      tag: ['maker'],
    });
    expect(credential.evidence).toEqual([
      { type: ['Evidence'], id: 'https://young-ideas.example/ideas/42', narrative: 'Submitted "Solar bins".' },
    ]);
    expect(credential.credentialStatus).toEqual({
      id: `${STATUS_LIST_URL}#1234`,
      type: 'BitstringStatusListEntry',
      statusPurpose: 'revocation',
      statusListIndex: '1234',
      statusListCredential: STATUS_LIST_URL,
    });
    expect(Array.isArray(credential.proof)).toBe(true);
    expect(credential.proof).toHaveLength(1);
    expect(credential.proof[0]).toMatchObject({
      type: 'DataIntegrityProof',
      cryptosuite: 'eddsa-rdfc-2022',
      proofPurpose: 'assertionMethod',
      verificationMethod: `${ISSUER_ID}#key-1`,
      created: '2025-03-01T10:15:31Z',
    });
    expect(credential.proof[0].proofValue).toMatch(/^z[1-9A-HJ-NP-Za-km-z]{80,90}$/);
  });

  it('validates against the 1EdTech achievementcredential JSON Schema (2019-09)', async () => {
    expect(validate(credential)).toEqual({ valid: true, errors: [] });
    // Minimal credential (no evidence, alignments or tags; identifier recipient) too.
    const minimal = await issueOpenBadgeCredential(
      sampleCredentialInput({
        evidence: undefined,
        recipient: hashRecipient(recipientIdentity({ userId: LEARNER.userId, email: null })),
        achievement: { ...sampleCredentialInput().achievement, alignments: undefined, tags: undefined },
      }),
      { key: issuer.key, documentLoader: issuer.loader },
    );
    expect(validate(minimal)).toEqual({ valid: true, errors: [] });
    expect(minimal.credentialSubject.identifier[0].identityType).toBe('identifier');
    // The validator is not vacuous: a single (non-array) proof breaks the OB serialisation rule.
    expect(validate({ ...credential, proof: credential.proof[0] }).valid).toBe(false);
  });

  it('verifies offline with @digitalbazaar/vc and the bundled loader', async () => {
    const result = await verifyCredential(credential, { documentLoader: issuer.loader });
    expect(result).toEqual({ verified: true, errors: [], revoked: false });
  });

  it('does not modify its input when signing, and signs deterministically apart from the clock', async () => {
    const unsigned = buildOpenBadgeCredential(sampleCredentialInput());
    const before = structuredClone(unsigned);
    const signed = await issueOpenBadgeCredential(sampleCredentialInput(), {
      key: issuer.key,
      documentLoader: issuer.loader,
      created: new Date('2025-03-01T10:15:31Z'),
    });
    expect(unsigned).toEqual(before);
    // Ed25519 is deterministic: same key, same canonical document, same created → same signature.
    expect(signed.proof[0].proofValue).toBe(credential.proof[0].proofValue);
  });

  const tamperings: Array<[string, (c: Record<string, any>) => void]> = [
    ['name', (c) => (c.name = 'Winner')],
    ['identityHash', (c) => (c.credentialSubject.identifier[0].identityHash = hashIdentity('someone@example.org', 'x'))],
    ['salt', (c) => (c.credentialSubject.identifier[0].salt = 'c0ffee0123456780')],
    ['identityType', (c) => (c.credentialSubject.identifier[0].identityType = 'identifier')],
    ['validFrom', (c) => (c.validFrom = '2025-02-01T10:15:30Z')],
    ['achievement id', (c) => (c.credentialSubject.achievement.id = `${BASE_URL}/ob/v2/badges/winner`)],
    ['achievement name', (c) => (c.credentialSubject.achievement.name = 'Winner')],
    ['achievement description', (c) => (c.credentialSubject.achievement.description += '!')],
    ['criteria', (c) => (c.credentialSubject.achievement.criteria.narrative = 'Nothing')],
    ['image', (c) => (c.credentialSubject.achievement.image.id = `${BASE_URL}/ob/badges/winner/image`)],
    ['alignment', (c) => (c.credentialSubject.achievement.alignment[0].targetUrl = 'https://evil.example/')],
    ['credential id', (c) => (c.id = `${BASE_URL}/ob/v3/credentials/other`)],
    ['issuer name', (c) => (c.issuer.name = 'Not Young Ideas')],
    ['evidence', (c) => (c.evidence[0].narrative = 'Something else')],
    ['status index', (c) => (c.credentialStatus.statusListIndex = '1235')],
    ['added property', (c) => (c.credentialSubject.achievement.fieldOfStudy = 'Rocketry')],
    ['removed evidence', (c) => delete c.evidence],
    ['proof created', (c) => (c.proof[0].created = '2025-03-02T10:15:31Z')],
    ['proof value', (c) => (c.proof[0].proofValue = c.proof[0].proofValue.slice(0, -2) + 'zz')],
  ];

  it.each(tamperings)('fails verification when the %s changes', async (_label, change) => {
    const result = await verifyCredential(tampered(change), { documentLoader: issuer.loader, checkStatus: false });
    expect(result.verified).toBe(false);
    expect(result.errors.length).toBeGreaterThan(0);
  });

  it('fails when signed by another key than the issuer controller document lists', async () => {
    const impostor = await generateIssuerKey(ISSUER_ID);
    const forged = await issueOpenBadgeCredential(sampleCredentialInput(), {
      key: impostor,
      documentLoader: issuer.loader,
    });
    const result = await verifyCredential(forged, { documentLoader: issuer.loader });
    expect(result.verified).toBe(false);
    expect(result.errors.join(' ')).toMatch(/Invalid signature/);
  });

  it('fails when the issuer is not the key controller', async () => {
    const otherIssuer = 'https://elsewhere.example/ob/v3/issuer';
    const otherKey = await generateIssuerKey(otherIssuer);
    const loader = createDocumentLoader({
      documents: {
        [ISSUER_ID]: buildControllerDocument(issuer.key),
        [otherIssuer]: buildControllerDocument(otherKey),
      },
    });
    await expect(
      issueOpenBadgeCredential(sampleCredentialInput(), { key: otherKey, documentLoader: loader }),
    ).rejects.toThrow(/issuer id must be the signing key controller/);
    // Bypassing our guard (signing the document directly) is caught by the verifier's purpose check.
    const { signDocument } = await import('./signing.js');
    const forged = await signDocument(buildOpenBadgeCredential(sampleCredentialInput()), {
      key: otherKey,
      documentLoader: loader,
    });
    const result = await verifyCredential(forged, { documentLoader: loader, checkStatus: false });
    expect(result.verified).toBe(false);
    expect(result.errors.join(' ')).toMatch(/issuer must match the verification method controller/);
  });

  it('after a key rotation, still verifies what the earlier key signed while its public half is published', async () => {
    const next = await generateIssuerKey(ISSUER_ID, 'key-2');
    const previous = [{ fragment: 'key-1', publicKeyMultibase: issuer.key.publicKeyMultibase }];
    const rotated = createDocumentLoader({ documents: { [ISSUER_ID]: buildControllerDocument(next, previous) } });
    expect((await verifyCredential(credential, { documentLoader: rotated, checkStatus: false })).verified).toBe(true);
    const signedAfter = await issueOpenBadgeCredential(sampleCredentialInput(), { key: next, documentLoader: rotated });
    expect(signedAfter.proof[0].verificationMethod).toBe(`${ISSUER_ID}#key-2`);
    expect((await verifyCredential(signedAfter, { documentLoader: rotated, checkStatus: false })).verified).toBe(true);
    // A key withdrawn from the document (compromised, say) no longer vouches for anything it signed.
    const withdrawn = createDocumentLoader({ documents: { [ISSUER_ID]: buildControllerDocument(next) } });
    const refused = await verifyCredential(credential, { documentLoader: withdrawn, checkStatus: false });
    expect(refused.verified).toBe(false);
    // Publishing the earlier key under the new key's id would make it sign as someone else: refused.
    expect(() => buildControllerDocument(next, [{ fragment: 'key-2', publicKeyMultibase: issuer.key.publicKeyMultibase }])).toThrow(/published twice/);
  });

  it('fails clearly when the issuer controller document is unknown to the loader (no network)', async () => {
    const loader = createDocumentLoader();
    const result = await verifyCredential(credential, { documentLoader: loader, checkStatus: false });
    expect(result.verified).toBe(false);
    expect(result.errors.join(' ')).toContain(`no document for "${ISSUER_ID}#key-1"`);
  });

  it('is not valid before validFrom', async () => {
    const result = await verifyCredential(credential, {
      documentLoader: issuer.loader,
      now: new Date('2025-02-01T00:00:00Z'),
    });
    expect(result.verified).toBe(false);
    expect(result.errors.join(' ')).toMatch(/before "validFrom"/);
  });

  it('rejects non-objects', async () => {
    expect(await verifyCredential('{"a":1}', { documentLoader: issuer.loader })).toEqual({
      verified: false,
      errors: ['The credential is not a JSON object.'],
    });
  });

  it('refuses unhashed recipients and bad URLs when building', () => {
    expect(() =>
      buildOpenBadgeCredential(
        sampleCredentialInput({ recipient: { kind: 'email', salt: 's', identityHash: LEARNER.email } }),
      ),
    ).toThrow(/sha256\$ identity hash/);
    expect(() =>
      buildOpenBadgeCredential(sampleCredentialInput({ evidence: [{ id: 'http://insecure.example/x' }] })),
    ).toThrow(/https/);
    expect(() => buildOpenBadgeCredential(sampleCredentialInput({ id: 'not a url' }))).toThrow(/absolute URL/);
  });

  it('drops optional fields given as undefined, so what is signed is what is served', async () => {
    const signed = await issueOpenBadgeCredential(
      sampleCredentialInput({
        description: undefined,
        evidence: [{ id: undefined, narrative: 'Only a narrative', name: undefined }],
      }),
      { key: issuer.key, documentLoader: issuer.loader },
    );
    expect(signed.evidence).toEqual([{ type: ['Evidence'], narrative: 'Only a narrative' }]);
    expect('description' in signed).toBe(false);
    const served = JSON.parse(JSON.stringify(signed)) as object;
    expect(served).toEqual(signed);
    expect((await verifyCredential(served, { documentLoader: issuer.loader })).verified).toBe(true);
  });

  it('never contains the plaintext email or surname', () => {
    const text = JSON.stringify(credential).toLowerCase();
    expect(text).not.toContain(LEARNER.email.toLowerCase());
    expect(text).not.toContain(LEARNER.surname.toLowerCase());
    expect(text).not.toContain('@example.org');
  });
});

describe('revocation through the status list', () => {
  it('fails a status-checking verification while the bit is set, and passes again once cleared', async () => {
    setRevoked(issuer.list, 1234, true);
    const revokedLoader = await issuer.publishStatusList();
    const revoked = await verifyCredential(credential, { documentLoader: revokedLoader });
    expect(revoked.verified).toBe(false);
    expect(revoked.revoked).toBe(true);
    expect(revoked.errors).toEqual(['The credential has been revoked (its status list bit is set).']);

    // Without the status check the signature alone still verifies (the credential stays served).
    expect((await verifyCredential(credential, { documentLoader: revokedLoader, checkStatus: false })).verified).toBe(
      true,
    );

    setRevoked(issuer.list, 1234, false);
    const clearedLoader = await issuer.publishStatusList();
    expect(await verifyCredential(credential, { documentLoader: clearedLoader })).toEqual({
      verified: true,
      errors: [],
      revoked: false,
    });
  });

  it('another entry of the list does not affect this credential', async () => {
    setRevoked(issuer.list, 1233, true);
    setRevoked(issuer.list, 1235, true);
    const loader = await issuer.publishStatusList();
    expect((await verifyCredential(credential, { documentLoader: loader })).verified).toBe(true);
    setRevoked(issuer.list, 1233, false);
    setRevoked(issuer.list, 1235, false);
  });

  it('fails (rather than passing) when the status list cannot be loaded', async () => {
    const loader = createDocumentLoader({ documents: { [ISSUER_ID]: buildControllerDocument(issuer.key) } });
    const result = await verifyCredential(credential, { documentLoader: loader });
    expect(result.verified).toBe(false);
    expect(result.errors.join(' ')).toMatch(/Could not load "BitstringStatusListCredential"/);
  });

  it('fails when the status list has been tampered with', async () => {
    const loader = await issuer.publishStatusList();
    const list = (await loader(STATUS_LIST_URL)).document as Record<string, any>;
    // Someone "un-revokes" or revokes by editing the list without the key: the proof no longer matches.
    const edited = createStatusList();
    setRevoked(edited, 1234, true);
    const forgedList = structuredClone(list);
    expect(forgedList.credentialSubject.encodedList).not.toBe(await encodeStatusList(edited));
    forgedList.credentialSubject.encodedList = await encodeStatusList(edited);
    const tamperedLoader = createDocumentLoader({
      documents: { [ISSUER_ID]: buildControllerDocument(issuer.key), [STATUS_LIST_URL]: forgedList },
    });
    const result = await verifyCredential(credential, { documentLoader: tamperedLoader });
    expect(result.verified).toBe(false);
    expect(result.errors.join(' ')).toMatch(/"BitstringStatusListCredential" not verified/);
    expect((await verifyCredential(forgedList, { documentLoader: tamperedLoader })).verified).toBe(false);
  });
});

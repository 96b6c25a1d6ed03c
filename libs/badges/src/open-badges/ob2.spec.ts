import { describe, expect, it } from '@jest/globals';
import { BASE_URL, LEARNER } from '../../testing/open-badges-fixtures.js';
import {
  buildOb2Assertion,
  buildOb2BadgeClass,
  buildOb2Endorsement,
  buildOb2Issuer,
  buildOb2RevocationList,
  revokedAssertionBody,
} from './ob2.js';
import { hashIdentity, hashRecipient, recipientIdentity, recipientMatches } from './recipient.js';

const ISSUER = `${BASE_URL}/ob/v2/issuer`;
const BADGE = `${BASE_URL}/ob/v2/badges/team-player`;
const ASSERTION = `${BASE_URL}/ob/v2/assertions/1b2c3d4e-0000-4000-8000-000000000001`;

describe('Open Badges 2.0 hosted documents', () => {
  it('issuer Profile', () => {
    expect(
      buildOb2Issuer({
        id: ISSUER,
        name: 'Young Ideas',
        url: 'https://young-ideas.example/about',
        email: 'badges@young-ideas.example',
        revocationList: `${BASE_URL}/ob/v2/revocations`,
      }),
    ).toEqual({
      '@context': 'https://w3id.org/openbadges/v2',
      type: 'Issuer',
      id: ISSUER,
      name: 'Young Ideas',
      url: 'https://young-ideas.example/about',
      email: 'badges@young-ideas.example',
      revocationList: `${BASE_URL}/ob/v2/revocations`,
    });
  });

  it('BadgeClass with criteria, alignment and endorsement links', () => {
    expect(
      buildOb2BadgeClass({
        id: BADGE,
        name: 'Team player',
        description: 'Submitted an idea as a team of two or more.',
        image: `${BASE_URL}/ob/badges/team-player/image`,
        criteria: { narrative: 'Submit an idea with at least one team-mate.' },
        issuer: ISSUER,
        alignments: [{ targetName: 'Teamwork', targetUrl: 'https://skills.example/teamwork' }],
        endorsements: [`${BASE_URL}/ob/v2/endorsements/9`],
      }),
    ).toEqual({
      '@context': 'https://w3id.org/openbadges/v2',
      type: 'BadgeClass',
      id: BADGE,
      name: 'Team player',
      description: 'Submitted an idea as a team of two or more.',
      image: `${BASE_URL}/ob/badges/team-player/image`,
      criteria: { narrative: 'Submit an idea with at least one team-mate.' },
      issuer: ISSUER,
      alignment: [{ targetName: 'Teamwork', targetUrl: 'https://skills.example/teamwork' }],
      endorsement: [`${BASE_URL}/ob/v2/endorsements/9`],
    });
  });

  it('Assertion with a hashed email recipient that recomputes from the known email and salt', () => {
    const recipient = hashRecipient(recipientIdentity({ userId: LEARNER.userId, email: LEARNER.email }), '5a1t');
    const assertion = buildOb2Assertion({
      id: ASSERTION,
      recipient,
      badge: BADGE,
      issuedOn: new Date('2025-03-01T10:15:30.999Z'),
      evidence: [{ narrative: 'Built "Solar bins" with Sam.', id: 'https://young-ideas.example/ideas/42' }],
      issuerId: ISSUER,
    });
    expect(assertion).toEqual({
      '@context': 'https://w3id.org/openbadges/v2',
      type: 'Assertion',
      id: ASSERTION,
      recipient: {
        type: 'email',
        hashed: true,
        salt: '5a1t',
        identity: hashIdentity(LEARNER.email.toLowerCase(), '5a1t'),
      },
      badge: BADGE,
      verification: { type: 'hosted' },
      issuedOn: '2025-03-01T10:15:30Z',
      evidence: [
        { type: 'Evidence', narrative: 'Built "Solar bins" with Sam.', id: 'https://young-ideas.example/ideas/42' },
      ],
    });
    expect(assertion.issuedOn).toMatch(/(Z|[+-]\d\d:\d\d)$/);
    expect(recipientMatches({ salt: assertion.recipient.salt, identityHash: assertion.recipient.identity }, 'ada.lovelace-byron@example.org')).toBe(true);
    const text = JSON.stringify(assertion).toLowerCase();
    expect(text).not.toContain(LEARNER.email.toLowerCase());
    expect(text).not.toContain(LEARNER.surname.toLowerCase());
  });

  it('Assertion for an account without email: recipient type "id", hashed platform URN', () => {
    const recipient = hashRecipient(recipientIdentity({ userId: LEARNER.userId }), 'pepper');
    const assertion = buildOb2Assertion({ id: ASSERTION, recipient, badge: BADGE, issuedOn: '2025-03-01T10:15:30+01:00' });
    expect(assertion.recipient).toEqual({
      type: 'id',
      hashed: true,
      salt: 'pepper',
      identity: hashIdentity(`urn:uuid:${LEARNER.userId}`, 'pepper'),
    });
    expect(assertion.issuedOn).toBe('2025-03-01T09:15:30Z');
  });

  it('refuses assertions off the issuer origin, plaintext recipients and non-https evidence', () => {
    const recipient = hashRecipient(recipientIdentity({ userId: LEARNER.userId }));
    expect(() =>
      buildOb2Assertion({ id: 'https://elsewhere.example/a/1', recipient, badge: BADGE, issuedOn: new Date(), issuerId: ISSUER }),
    ).toThrow(/same origin/);
    expect(() =>
      buildOb2Assertion({
        id: ASSERTION,
        recipient: { kind: 'email', salt: '', identityHash: LEARNER.email },
        badge: BADGE,
        issuedOn: new Date(),
      }),
    ).toThrow(/sha256/);
    expect(() =>
      buildOb2Assertion({ id: ASSERTION, recipient, badge: BADGE, issuedOn: new Date(), evidence: [{ id: 'javascript:alert(1)' }] }),
    ).toThrow(/https/);
  });

  it('Endorsement documents', () => {
    expect(
      buildOb2Endorsement({
        id: `${BASE_URL}/ob/v2/endorsements/9`,
        claimId: BADGE,
        comment: 'Teamwork is what we hire for.',
        endorser: { name: 'Acme Engineering', url: 'https://acme.example' },
        issuedOn: new Date('2025-01-15T12:00:00Z'),
      }),
    ).toEqual({
      '@context': 'https://w3id.org/openbadges/v2',
      type: 'Endorsement',
      id: `${BASE_URL}/ob/v2/endorsements/9`,
      issuer: { type: 'Profile', name: 'Acme Engineering', url: 'https://acme.example' },
      claim: { id: BADGE, endorsementComment: 'Teamwork is what we hire for.' },
      issuedOn: '2025-01-15T12:00:00Z',
      verification: { type: 'hosted' },
    });
  });

  it('revoked body and revocation list', () => {
    expect(revokedAssertionBody(ASSERTION, 'Awarded in error')).toEqual({
      id: ASSERTION,
      revoked: true,
      revocationReason: 'Awarded in error',
    });
    expect(
      buildOb2RevocationList({
        id: `${BASE_URL}/ob/v2/revocations`,
        issuer: ISSUER,
        revoked: [{ id: ASSERTION, revocationReason: 'Awarded in error' }],
      }),
    ).toEqual({
      '@context': 'https://w3id.org/openbadges/v2',
      type: 'RevocationList',
      id: `${BASE_URL}/ob/v2/revocations`,
      issuer: ISSUER,
      revokedAssertions: [{ id: ASSERTION, revocationReason: 'Awarded in error' }],
    });
  });
});

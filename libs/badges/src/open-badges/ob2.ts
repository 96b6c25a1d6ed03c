import type { HashedRecipient } from './recipient.js';
import { xsdDateTime } from './signing.js';
import { assertHttpUrl, definedOnly } from './values.js';

/*
 * Open Badges 2.0 "hosted" documents (SPEC §3, /ob/v2/...). Hosted verification means a verifier
 * dereferences the assertion id on the issuer's own origin and trusts what it gets: there is no signature,
 * so these are plain JSON-LD objects and the application serves them as `application/ld+json`. A revoked
 * assertion stops being served (410 with `revokedAssertionBody`) and is listed in the revocation list.
 */

export const OB2_CONTEXT_URL = 'https://w3id.org/openbadges/v2';

export interface Ob2IssuerInput {
  /** `<PUBLIC_BASE_URL>/ob/v2/issuer` */
  id: string;
  name: string;
  url: string;
  /** The organisation's contact address (ISSUER_EMAIL). */
  email: string;
  description?: string;
  /** Image URL of the organisation. */
  image?: string;
  /** `<PUBLIC_BASE_URL>/ob/v2/revocations` — lets verifiers find revoked assertions. */
  revocationList?: string;
}

export interface Ob2Issuer {
  '@context': typeof OB2_CONTEXT_URL;
  type: 'Issuer';
  id: string;
  name: string;
  url: string;
  email: string;
  description?: string;
  image?: string;
  revocationList?: string;
}

export function buildOb2Issuer(input: Ob2IssuerInput): Ob2Issuer {
  assertHttpUrl(input.id, 'The issuer id');
  assertHttpUrl(input.url, 'The issuer url');
  return {
    '@context': OB2_CONTEXT_URL,
    // "Issuer" is OB 2.0's name for a Profile that issues badges; validators accept it and "Profile".
    type: 'Issuer',
    id: input.id,
    name: input.name,
    url: input.url,
    email: input.email,
    ...(input.description ? { description: input.description } : {}),
    ...(input.image ? { image: input.image } : {}),
    ...(input.revocationList ? { revocationList: input.revocationList } : {}),
  };
}

export interface Ob2AlignmentInput {
  targetName: string;
  targetUrl: string;
  targetDescription?: string;
  targetFramework?: string;
  targetCode?: string;
}

export interface Ob2BadgeClassInput {
  /** `<PUBLIC_BASE_URL>/ob/v2/badges/:slug` */
  id: string;
  name: string;
  description: string;
  /** `<PUBLIC_BASE_URL>/ob/badges/:slug/image` */
  image: string;
  criteria: { narrative: string; id?: string };
  /** The issuer Profile URL. */
  issuer: string;
  alignments?: readonly Ob2AlignmentInput[];
  tags?: readonly string[];
  /** URLs of the OB 2.0 Endorsement documents about this badge class (`/ob/v2/endorsements/:id`). */
  endorsements?: readonly string[];
}

export interface Ob2BadgeClass {
  '@context': typeof OB2_CONTEXT_URL;
  type: 'BadgeClass';
  id: string;
  name: string;
  description: string;
  image: string;
  criteria: { id?: string; narrative: string };
  issuer: string;
  alignment?: Ob2AlignmentInput[];
  tags?: string[];
  endorsement?: string[];
}

export function buildOb2BadgeClass(input: Ob2BadgeClassInput): Ob2BadgeClass {
  assertHttpUrl(input.id, 'The badge class id');
  assertHttpUrl(input.image, 'The badge image');
  assertHttpUrl(input.issuer, 'The issuer');
  const badge: Ob2BadgeClass = {
    '@context': OB2_CONTEXT_URL,
    type: 'BadgeClass',
    id: input.id,
    name: input.name,
    description: input.description,
    image: input.image,
    criteria: { ...(input.criteria.id ? { id: input.criteria.id } : {}), narrative: input.criteria.narrative },
    issuer: input.issuer,
  };
  if (input.alignments?.length) {
    badge.alignment = input.alignments.map((alignment) => {
      assertHttpUrl(alignment.targetUrl, 'An alignment targetUrl');
      return definedOnly({ ...alignment });
    });
  }
  if (input.tags?.length) badge.tags = [...input.tags];
  if (input.endorsements?.length) {
    badge.endorsement = input.endorsements.map((url) => {
      assertHttpUrl(url, 'An endorsement');
      return url;
    });
  }
  return badge;
}

export interface Ob2EvidenceInput {
  /** An https URL of the evidence, if any. */
  id?: string;
  narrative?: string;
  name?: string;
  description?: string;
}

export interface Ob2AssertionInput {
  /** `<PUBLIC_BASE_URL>/ob/v2/assertions/:awardId` */
  id: string;
  recipient: HashedRecipient;
  /** The BadgeClass URL. */
  badge: string;
  issuedOn: Date | string;
  evidence?: readonly Ob2EvidenceInput[];
  /** The baked image URL (`/ob/v2/assertions/:awardId/image`), if offered. */
  image?: string;
  /**
   * The issuer Profile id. When given, the assertion id must share its origin: hosted verification
   * rejects assertions served from anywhere but the issuer's origin.
   */
  issuerId?: string;
}

export interface Ob2Assertion {
  '@context': typeof OB2_CONTEXT_URL;
  type: 'Assertion';
  id: string;
  recipient: { type: 'email' | 'id'; hashed: true; salt: string; identity: string };
  badge: string;
  verification: { type: 'hosted' };
  issuedOn: string;
  image?: string;
  evidence?: Array<{ type: 'Evidence'; id?: string; narrative?: string; name?: string; description?: string }>;
}

export function buildOb2Assertion(input: Ob2AssertionInput): Ob2Assertion {
  assertHttpUrl(input.id, 'The assertion id');
  assertHttpUrl(input.badge, 'The badge class');
  if (input.issuerId && new URL(input.issuerId).origin !== new URL(input.id).origin) {
    throw new TypeError('A hosted assertion must live on the same origin as its issuer id.');
  }
  if (!/^sha256\$[0-9a-f]{64}$/.test(input.recipient.identityHash)) {
    throw new TypeError('The recipient must be a sha256$ identity hash (see hashRecipient).');
  }
  const assertion: Ob2Assertion = {
    '@context': OB2_CONTEXT_URL,
    type: 'Assertion',
    id: input.id,
    recipient: {
      type: input.recipient.kind === 'email' ? 'email' : 'id',
      hashed: true,
      salt: input.recipient.salt,
      identity: input.recipient.identityHash,
    },
    badge: input.badge,
    verification: { type: 'hosted' },
    // xsdDateTime always ends in "Z": OB 2.0 wants an ISO 8601 date-time with its zone.
    issuedOn: xsdDateTime(input.issuedOn),
  };
  if (input.image) {
    assertHttpUrl(input.image, 'The assertion image');
    assertion.image = input.image;
  }
  if (input.evidence?.length) {
    assertion.evidence = input.evidence.map((evidence) => {
      if (evidence.id) assertHttpUrl(evidence.id, 'An evidence URL', true);
      return { type: 'Evidence', ...definedOnly(evidence) };
    });
  }
  return assertion;
}

export interface Ob2EndorsementInput {
  /** `<PUBLIC_BASE_URL>/ob/v2/endorsements/:id` */
  id: string;
  /** What is endorsed: usually a BadgeClass URL. */
  claimId: string;
  comment: string;
  /**
   * The endorsing organisation. OB 2.0 wants the endorsement's issuer to be a Profile; the platform embeds
   * it (id optional — pass a platform-hosted profile URL if there is one).
   */
  endorser: { name: string; url: string; id?: string; email?: string };
  issuedOn: Date | string;
}

export interface Ob2Endorsement {
  '@context': typeof OB2_CONTEXT_URL;
  type: 'Endorsement';
  id: string;
  issuer: { type: 'Profile'; id?: string; name: string; url: string; email?: string };
  claim: { id: string; endorsementComment: string };
  issuedOn: string;
  verification: { type: 'hosted' };
}

/**
 * An industry endorsement as an OB 2.0 Endorsement. Caveat: the platform publishes it on the endorser's
 * behalf, so what it proves is "the platform records that this organisation endorses the badge", not a
 * signature by the endorser.
 */
export function buildOb2Endorsement(input: Ob2EndorsementInput): Ob2Endorsement {
  assertHttpUrl(input.id, 'The endorsement id');
  assertHttpUrl(input.claimId, 'The endorsed claim id');
  assertHttpUrl(input.endorser.url, 'The endorser url');
  if (input.endorser.id) assertHttpUrl(input.endorser.id, 'The endorser id');
  return {
    '@context': OB2_CONTEXT_URL,
    type: 'Endorsement',
    id: input.id,
    issuer: {
      type: 'Profile',
      ...(input.endorser.id ? { id: input.endorser.id } : {}),
      name: input.endorser.name,
      url: input.endorser.url,
      ...(input.endorser.email ? { email: input.endorser.email } : {}),
    },
    claim: { id: input.claimId, endorsementComment: input.comment },
    issuedOn: xsdDateTime(input.issuedOn),
    verification: { type: 'hosted' },
  };
}

/** The body of the 410 answer for a revoked assertion (SPEC §3). */
export function revokedAssertionBody(id: string, revocationReason: string): {
  id: string;
  revoked: true;
  revocationReason: string;
} {
  return { id, revoked: true, revocationReason };
}

export interface Ob2RevocationList {
  '@context': typeof OB2_CONTEXT_URL;
  type: 'RevocationList';
  id: string;
  issuer: string;
  revokedAssertions: Array<{ id: string; revocationReason: string }>;
}

/** `/ob/v2/revocations`: every revoked assertion of the issuer, with its reason. */
export function buildOb2RevocationList(input: {
  id: string;
  issuer: string;
  revoked: ReadonlyArray<{ id: string; revocationReason: string }>;
}): Ob2RevocationList {
  assertHttpUrl(input.id, 'The revocation list id');
  assertHttpUrl(input.issuer, 'The issuer');
  return {
    '@context': OB2_CONTEXT_URL,
    type: 'RevocationList',
    id: input.id,
    issuer: input.issuer,
    revokedAssertions: input.revoked.map(({ id, revocationReason }) => ({ id, revocationReason })),
  };
}

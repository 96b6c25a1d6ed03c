import * as vc from '@digitalbazaar/vc';
import {
  OB_V3_CONTEXT_URL,
  VC_V2_CONTEXT_URL,
  type DocumentLoader,
  type JsonObject,
} from './document-loader.js';
import type { HashedRecipient } from './recipient.js';
import { signDocument, verificationSuite, xsdDateTime, type DataIntegrityProofDocument, type SignOptions } from './signing.js';
import { checkRevocation, statusListEntry, type BitstringStatusListEntry } from './status-list.js';
import { assertHttpUrl, definedOnly } from './values.js';

/*
 * Open Badges 3.0 `OpenBadgeCredential` (AchievementCredential): a VC 2.0 credential whose subject holds
 * the Achievement (the badge class) and a hashed identifier of the earner. What goes in is deliberately
 * narrow: the recipient arrives already hashed (see recipient.ts), so a name or plaintext email cannot end
 * up in a public, signed, unrevocable-by-deletion document by accident.
 *
 * Serialisation follows OB 3.0: every 0..* property (type, identifier, alignment, evidence, proof…) is a
 * JSON array even with one element; 0..1 properties (credentialStatus, image, criteria) are objects.
 */

export const OPEN_BADGE_CREDENTIAL_CONTEXT = [VC_V2_CONTEXT_URL, OB_V3_CONTEXT_URL] as const;

export interface IssuerProfileInput {
  /** The issuer id: the controller document URL (`/ob/v3/issuer`), which also controls the signing key. */
  id: string;
  name: string;
  /** The organisation's home page. */
  url: string;
  /** Optional contact address of the organisation (never a person's address). */
  email?: string;
}

export interface AlignmentInput {
  targetName: string;
  targetUrl: string;
  targetDescription?: string;
  targetFramework?: string;
  targetCode?: string;
}

export interface AchievementInput {
  /** The badge class URL (e.g. `/ob/v2/badges/:slug`, shared with the OB 2.0 BadgeClass). */
  id: string;
  name: string;
  description: string;
  criteria: { narrative: string; id?: string };
  /** The badge image URL (`/ob/badges/:slug/image`). */
  image: { id: string; caption?: string };
  /** OB 3.0 achievementType; defaults to "Badge". */
  achievementType?: string;
  alignments?: readonly AlignmentInput[];
  tags?: readonly string[];
  /**
   * Already-signed OB 3.0 EndorsementCredentials, embedded verbatim. The platform cannot create these for
   * an industry endorser (they must be signed by the endorser's key); the endorsements it records are
   * published as OB 2.0 Endorsement documents instead (ob2.ts).
   */
  endorsements?: readonly JsonObject[];
}

export interface EvidenceInput {
  /** An https URL of the evidence, if any. */
  id?: string;
  narrative?: string;
  name?: string;
  description?: string;
}

export interface OpenBadgeCredentialInput {
  /** The credential URL: `<PUBLIC_BASE_URL>/ob/v3/credentials/:awardId`. */
  id: string;
  issuer: IssuerProfileInput;
  /** When the award was made. */
  validFrom: Date | string;
  /** Credential display name; defaults to the achievement's name. */
  name?: string;
  description?: string;
  recipient: HashedRecipient;
  achievement: AchievementInput;
  evidence?: readonly EvidenceInput[];
  status: { statusListCredential: string; statusListIndex: number };
}

export interface IdentityObject {
  type: 'IdentityObject';
  identityHash: string;
  identityType: 'emailAddress' | 'identifier';
  hashed: true;
  salt: string;
}

export interface Achievement {
  id: string;
  type: ['Achievement'];
  achievementType: string;
  name: string;
  description: string;
  criteria: { id?: string; narrative: string };
  image: { id: string; type: 'Image'; caption?: string };
  creator: OpenBadgeCredential['issuer'];
  alignment?: Array<{ type: ['Alignment'] } & AlignmentInput>;
  tag?: string[];
  endorsement?: JsonObject[];
}

export interface OpenBadgeCredential {
  '@context': [typeof VC_V2_CONTEXT_URL, typeof OB_V3_CONTEXT_URL];
  id: string;
  type: ['VerifiableCredential', 'OpenBadgeCredential'];
  issuer: { id: string; type: ['Profile']; name: string; url: string; email?: string };
  validFrom: string;
  name: string;
  description?: string;
  credentialSubject: {
    type: ['AchievementSubject'];
    identifier: [IdentityObject];
    achievement: Achievement;
  };
  evidence?: Array<{ type: ['Evidence']; id?: string; narrative?: string; name?: string; description?: string }>;
  credentialStatus: BitstringStatusListEntry;
}

export type SignedOpenBadgeCredential = OpenBadgeCredential & { proof: DataIntegrityProofDocument[] };

/** Builds the unsigned credential. Pure: same input, same output. */
export function buildOpenBadgeCredential(input: OpenBadgeCredentialInput): OpenBadgeCredential {
  assertHttpUrl(input.id, 'The credential id');
  assertHttpUrl(input.issuer.id, 'The issuer id');
  assertHttpUrl(input.issuer.url, 'The issuer url');
  assertHttpUrl(input.achievement.id, 'The achievement id');
  assertHttpUrl(input.achievement.image.id, 'The achievement image');
  assertHttpUrl(input.status.statusListCredential, 'The status list credential');
  if (!/^sha256\$[0-9a-f]{64}$/.test(input.recipient.identityHash)) {
    throw new TypeError('The recipient must be a sha256$ identity hash (see hashRecipient).');
  }

  const issuer: OpenBadgeCredential['issuer'] = {
    id: input.issuer.id,
    type: ['Profile'],
    name: input.issuer.name,
    url: input.issuer.url,
    ...(input.issuer.email ? { email: input.issuer.email } : {}),
  };

  const a = input.achievement;
  const achievement: Achievement = {
    id: a.id,
    type: ['Achievement'],
    achievementType: a.achievementType ?? 'Badge',
    name: a.name,
    description: a.description,
    criteria: { ...(a.criteria.id ? { id: a.criteria.id } : {}), narrative: a.criteria.narrative },
    image: { id: a.image.id, type: 'Image', ...(a.image.caption ? { caption: a.image.caption } : {}) },
    creator: issuer,
  };
  if (a.alignments?.length) {
    achievement.alignment = a.alignments.map((alignment) => {
      assertHttpUrl(alignment.targetUrl, 'An alignment targetUrl');
      return { type: ['Alignment'], ...definedOnly(alignment) };
    });
  }
  if (a.tags?.length) achievement.tag = [...a.tags];
  if (a.endorsements?.length) achievement.endorsement = a.endorsements.map((e) => structuredClone(e));

  const credential: OpenBadgeCredential = {
    '@context': [VC_V2_CONTEXT_URL, OB_V3_CONTEXT_URL],
    id: input.id,
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    issuer,
    validFrom: xsdDateTime(input.validFrom),
    name: input.name ?? a.name,
    ...(input.description ? { description: input.description } : {}),
    credentialSubject: {
      type: ['AchievementSubject'],
      identifier: [
        {
          type: 'IdentityObject',
          identityHash: input.recipient.identityHash,
          identityType: input.recipient.kind === 'email' ? 'emailAddress' : 'identifier',
          hashed: true,
          salt: input.recipient.salt,
        },
      ],
      achievement,
    },
    credentialStatus: statusListEntry(input.status.statusListCredential, input.status.statusListIndex),
  };
  if (input.evidence?.length) {
    credential.evidence = input.evidence.map((evidence) => {
      if (evidence.id) assertHttpUrl(evidence.id, 'An evidence URL', true);
      return { type: ['Evidence'], ...definedOnly(evidence) };
    });
  }
  return credential;
}

/** Signs a built credential (DataIntegrityProof, eddsa-rdfc-2022, verificationMethod `<issuer>#key-1`). */
export async function signOpenBadgeCredential(
  credential: OpenBadgeCredential,
  options: SignOptions,
): Promise<SignedOpenBadgeCredential> {
  if (credential.issuer.id !== options.key.issuerId) {
    // Verifiers require the key's controller to be the issuer; catching it here gives a clear error.
    throw new TypeError('The credential issuer id must be the signing key controller (the issuer id).');
  }
  return signDocument(credential, options);
}

/** build + sign. */
export async function issueOpenBadgeCredential(
  input: OpenBadgeCredentialInput,
  options: SignOptions,
): Promise<SignedOpenBadgeCredential> {
  return signOpenBadgeCredential(buildOpenBadgeCredential(input), options);
}

export interface VerifyOptions {
  documentLoader: DocumentLoader;
  /**
   * Check the revocation bit through the status list credential (which must then be resolvable by the
   * loader). Defaults to true whenever the credential has a `credentialStatus`: a verifier that forgets
   * this option must not accept revoked credentials.
   */
  checkStatus?: boolean;
  /** The time to verify at (validFrom/validUntil); defaults to now. */
  now?: Date;
}

export interface CredentialVerification {
  verified: boolean;
  /** Human-readable reasons, empty when verified. */
  errors: string[];
  /** Set when the status was checked: whether the revocation bit is set. */
  revoked?: boolean;
}

/**
 * Verifies any VC 2.0 credential signed with eddsa-rdfc-2022 (badge or status list) offline: data model
 * checks, the proof over the canonicalised document, that the key is an assertionMethod of its
 * controller and that the controller is the issuer, and (by default) the revocation status.
 */
export async function verifyCredential(credential: unknown, options: VerifyOptions): Promise<CredentialVerification> {
  if (credential === null || typeof credential !== 'object' || Array.isArray(credential)) {
    return { verified: false, errors: ['The credential is not a JSON object.'] };
  }
  const hasStatus = 'credentialStatus' in credential;
  const checkStatus = options.checkStatus ?? true;
  let revocation: { revoked: boolean } | undefined;

  const result = await vc.verifyCredential({
    credential,
    suite: verificationSuite(),
    documentLoader: options.documentLoader,
    ...(options.now ? { now: options.now } : {}),
    // @digitalbazaar/vc refuses a credential with credentialStatus unless a checker is given; "not
    // checking" is therefore an explicit checker that reports success without looking.
    checkStatus: async () => {
      if (!checkStatus) return { verified: true };
      const check = await checkRevocation(credential, options.documentLoader);
      if (!check.checked) return { verified: false, error: check.error };
      revocation = { revoked: check.revoked };
      return check.revoked
        ? { verified: false, error: new Error('The credential has been revoked (its status list bit is set).') }
        : { verified: true };
    },
  });

  const errors = result.verified ? [] : collectErrorMessages(result);
  if (!result.verified && errors.length === 0) errors.push('The credential did not verify.');
  return {
    verified: result.verified,
    errors,
    ...(hasStatus && checkStatus && revocation ? { revoked: revocation.revoked } : {}),
  };
}

/** Flattens the nested error shapes of vc / jsonld-signatures / jsonld into distinct messages. */
function collectErrorMessages(result: vc.VerifyCredentialResult): string[] {
  const messages = new Set<string>();
  const seen = new Set<unknown>();
  const visit = (value: unknown, depth: number): void => {
    if (depth > 6 || value === null || value === undefined || seen.has(value)) return;
    if (typeof value !== 'object') return;
    seen.add(value);
    if (Array.isArray(value)) {
      for (const item of value) visit(item, depth + 1);
      return;
    }
    const record = value as { message?: unknown; cause?: unknown; details?: { cause?: unknown }; errors?: unknown };
    if (typeof record.message === 'string' && record.message) messages.add(record.message);
    visit(record.cause, depth + 1);
    visit(record.details?.cause, depth + 1);
    visit(record.errors, depth + 1);
  };
  visit(result.error, 0);
  for (const proofResult of result.results ?? []) {
    visit(proofResult.error, 0);
    visit((proofResult.purposeResult as { error?: unknown } | undefined)?.error, 0);
  }
  visit(result.statusResult?.error, 0);
  return [...messages];
}

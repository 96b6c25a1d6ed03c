import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/*
 * Recipients are never named in a public badge document. Both Open Badges versions identify them by a
 * salted hash, `sha256$` + hex(sha256(identity + salt)) (SPEC §2.5, OB 2.0 IdentityObject, OB 3.0
 * IdentityObject.identityHash): the earner can prove "this is my email" by revealing it, and a reader of
 * the public document learns nothing — the per-award random salt defeats dictionary look-ups across
 * awards. Accounts without an email (young children signed up by a teacher) are identified by a stable
 * platform URN built from their user id, which reveals nothing personal either.
 */

export type RecipientKind = 'email' | 'id';

export interface RecipientIdentity {
  /** 'email' → OB 2.0 recipient.type "email", OB 3.0 identityType "emailAddress"; 'id' → "id"/"identifier". */
  readonly kind: RecipientKind;
  /** The plaintext identity that is hashed. Private: store it nowhere public. */
  readonly identity: string;
}

export interface HashedRecipient {
  readonly kind: RecipientKind;
  readonly salt: string;
  /** 'sha256$<64 hex>' */
  readonly identityHash: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `urn:uuid:<userId>` — the stable identifier of an account without email. */
export function platformUrn(userId: string): string {
  if (!UUID.test(userId)) throw new TypeError('A platform URN needs the user id as a UUID.');
  return `urn:uuid:${userId.toLowerCase()}`;
}

/**
 * Chooses the identity to hash: the email when the account has one, otherwise the platform URN. Emails are
 * trimmed and lower-cased first, because that is how an earner or a verifier will type them when they
 * recompute the hash (the domain part is case-insensitive and mailbox case-sensitivity is never used in
 * practice).
 */
export function recipientIdentity(account: { userId: string; email?: string | null }): RecipientIdentity {
  const email = account.email?.trim().toLowerCase();
  if (email) return { kind: 'email', identity: email };
  return { kind: 'id', identity: platformUrn(account.userId) };
}

/** 16 random bytes as hex: a fresh salt for every award. */
export function newRecipientSalt(): string {
  return randomBytes(16).toString('hex');
}

/** `sha256$` + hex(sha256(identity + salt)), exactly as SPEC §2.5 states. */
export function hashIdentity(identity: string, salt: string): string {
  return 'sha256$' + createHash('sha256').update(identity + salt, 'utf8').digest('hex');
}

export function hashRecipient(recipient: RecipientIdentity, salt: string = newRecipientSalt()): HashedRecipient {
  if (!salt) throw new TypeError('A recipient salt must not be empty.');
  return { kind: recipient.kind, salt, identityHash: hashIdentity(recipient.identity, salt) };
}

/** Whether `identity` is the one hashed into `hashed` (constant-time comparison). */
export function recipientMatches(hashed: { salt: string; identityHash: string }, identity: string): boolean {
  const expected = Buffer.from(hashIdentity(identity, hashed.salt));
  const actual = Buffer.from(hashed.identityHash.toLowerCase());
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

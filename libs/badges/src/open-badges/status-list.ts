import { randomInt } from 'node:crypto';
import {
  BitstringStatusList,
  checkStatus as checkBitstringStatus,
  createCredential as createStatusListCredentialShell,
} from '@digitalbazaar/vc-bitstring-status-list';
import { VC_V2_CONTEXT_URL, type DocumentLoader } from './document-loader.js';
import { signDocument, verificationSuite, xsdDateTime, type DataIntegrityProofDocument, type SignOptions } from './signing.js';

/*
 * Revocation of OB 3.0 credentials through a W3C Bitstring Status List (SPEC §2.5): each credential names
 * one bit (statusListIndex) of a list published as a signed BitstringStatusListCredential; setting the
 * bit revokes it, and the credential itself stays served. The list must hold at least 131,072 entries and
 * indices are allocated at random, so that a published list does not reveal how many badges were issued
 * or in what order (the spec's herd-privacy requirement).
 */

/** The Bitstring Status List spec's minimum list length (16 KiB of bits). */
export const STATUS_LIST_MIN_LENGTH = 131_072;
export const REVOCATION_PURPOSE = 'revocation';

export { BitstringStatusList };

/** The `credentialStatus` of a badge credential. */
export interface BitstringStatusListEntry {
  /** `<statusListCredential>#<index>` — OB 3.0's schema requires an id, and it must differ from the list's. */
  id: string;
  type: 'BitstringStatusListEntry';
  statusPurpose: typeof REVOCATION_PURPOSE;
  /** A decimal string, as the Bitstring Status List spec defines it. */
  statusListIndex: string;
  statusListCredential: string;
}

export interface StatusListCredential {
  '@context': [typeof VC_V2_CONTEXT_URL];
  id: string;
  type: ['VerifiableCredential', 'BitstringStatusListCredential'];
  issuer: string;
  validFrom: string;
  credentialSubject: {
    id: string;
    type: 'BitstringStatusList';
    statusPurpose: typeof REVOCATION_PURPOSE;
    encodedList: string;
  };
  proof?: DataIntegrityProofDocument[];
}

function assertLength(length: number): void {
  // A length that is not a multiple of 8 would not survive an encode/decode round trip (decoding
  // yields whole bytes), so only whole bytes are allowed.
  if (!Number.isInteger(length) || length < STATUS_LIST_MIN_LENGTH || length % 8 !== 0) {
    throw new RangeError(`A status list needs a length ≥ ${STATUS_LIST_MIN_LENGTH} that is a multiple of 8.`);
  }
}

export function createStatusList(length: number = STATUS_LIST_MIN_LENGTH): BitstringStatusList {
  assertLength(length);
  return new BitstringStatusList({ length });
}

/**
 * Rebuilds a list from its raw bits (as stored in the database). The bytes are copied: the library wraps
 * `buffer.buffer` — the whole underlying ArrayBuffer — so a Node Buffer that is a slice of a larger pool
 * (node-postgres returns such slices for bytea) would silently read the wrong bytes.
 */
export function statusListFromBytes(bytes: Uint8Array): BitstringStatusList {
  assertLength(bytes.length * 8);
  return new BitstringStatusList({ buffer: new Uint8Array(bytes) });
}

/** A copy of the raw bits, for storage. Bit i is the most significant bit of byte ⌊i/8⌋ first. */
export function statusListToBytes(list: BitstringStatusList): Uint8Array {
  return new Uint8Array(list.bitstring.bits);
}

export function setRevoked(list: BitstringStatusList, index: number, revoked: boolean): void {
  list.setStatus(index, revoked);
}

export function isRevoked(list: BitstringStatusList, index: number): boolean {
  return list.getStatus(index);
}

/** GZIP, then base64url without padding, with the multibase prefix "u" (the library's encoder). */
export async function encodeStatusList(list: BitstringStatusList): Promise<string> {
  return list.encode();
}

export async function decodeStatusList(encodedList: string): Promise<BitstringStatusList> {
  return BitstringStatusList.decode({ encodedList });
}

export function statusListEntry(statusListCredential: string, index: number): BitstringStatusListEntry {
  if (!Number.isInteger(index) || index < 0) throw new RangeError('A status list index is a non-negative integer.');
  return {
    id: `${statusListCredential}#${index}`,
    type: 'BitstringStatusListEntry',
    statusPurpose: REVOCATION_PURPOSE,
    statusListIndex: String(index),
    statusListCredential,
  };
}

export interface StatusListCredentialInput {
  /** The URL it is served at: `<PUBLIC_BASE_URL>/ob/v3/status/:listId`. */
  id: string;
  /** The same issuer id as the badge credentials (the status library compares them when verifying). */
  issuerId: string;
  list: BitstringStatusList;
  /** When this version of the list was published; defaults to now. */
  validFrom?: Date;
}

/** The unsigned BitstringStatusListCredential: VC 2.0 context only, statusPurpose revocation. */
export async function buildStatusListCredential(input: StatusListCredentialInput): Promise<StatusListCredential> {
  if (input.list.length < STATUS_LIST_MIN_LENGTH) throw new RangeError('The status list is too short.');
  // The library builds the credential subject (and encodes the list); issuer and validity are ours.
  const shell = await createStatusListCredentialShell({
    id: input.id,
    list: input.list,
    statusPurpose: REVOCATION_PURPOSE,
    context: [VC_V2_CONTEXT_URL],
  });
  const subject = shell.credentialSubject as StatusListCredential['credentialSubject'];
  return {
    '@context': [VC_V2_CONTEXT_URL],
    id: input.id,
    type: ['VerifiableCredential', 'BitstringStatusListCredential'],
    issuer: input.issuerId,
    validFrom: xsdDateTime(input.validFrom ?? new Date()),
    credentialSubject: {
      id: subject.id,
      type: 'BitstringStatusList',
      statusPurpose: REVOCATION_PURPOSE,
      encodedList: subject.encodedList,
    },
  };
}

/** Builds and signs the status list credential with the issuer key. */
export async function issueStatusListCredential(
  input: Omit<StatusListCredentialInput, 'issuerId'>,
  options: SignOptions,
): Promise<StatusListCredential & { proof: DataIntegrityProofDocument[] }> {
  const unsigned = await buildStatusListCredential({ ...input, issuerId: options.key.issuerId });
  return signDocument(unsigned, options);
}

/** The subset of a Set the allocator needs, so a caller can pass a Set or a bitmap-backed view. */
export interface UsedIndices {
  has(index: number): boolean;
  readonly size: number;
}

/**
 * Picks an unused index uniformly at random. Rejection sampling is fast while the list is sparse (the
 * expected number of draws is length / free); once fewer than 1/16 of the entries are free it switches to
 * choosing the k-th free index, so it never loops long. Throws when the list is full — the caller then
 * opens a new list. `randomInt(max)` must return an integer in [0, max) from a CSPRNG.
 */
export function allocateStatusIndex(
  used: UsedIndices,
  options: { length?: number; randomInt?: (maxExclusive: number) => number } = {},
): number {
  const length = options.length ?? STATUS_LIST_MIN_LENGTH;
  const draw = options.randomInt ?? ((max: number) => randomInt(max));
  const free = length - used.size;
  if (free <= 0) throw new RangeError('The status list is full.');
  if (free * 16 >= length) {
    for (let attempt = 0; attempt < 64; attempt++) {
      const candidate = draw(length);
      if (!used.has(candidate)) return candidate;
    }
  }
  let k = draw(free);
  for (let index = 0; index < length; index++) {
    if (used.has(index)) continue;
    if (k === 0) return index;
    k--;
  }
  // `used` claimed more free entries than it has (e.g. indices beyond `length` in the set).
  throw new RangeError('The status list is full.');
}

export interface RevocationCheck {
  /** The status list was loaded, verified and matched the credential's issuer. */
  checked: boolean;
  /** The credential's revocation bit is set. */
  revoked: boolean;
  error?: unknown;
}

/**
 * Checks a credential's revocation entry through @digitalbazaar/vc-bitstring-status-list: loads the status
 * list credential through the (offline) loader, verifies its proof, checks its issuer equals the
 * credential's and reads the bit. Note that the library reports `verified: true` with `status: true` for a
 * revoked credential — "the check ran" — so the revoked state is read from the bit here.
 */
export async function checkRevocation(credential: object, documentLoader: DocumentLoader): Promise<RevocationCheck> {
  const result = await checkBitstringStatus({
    credential,
    documentLoader,
    suite: verificationSuite(),
    verifyBitstringStatusListCredential: true,
    verifyMatchingIssuers: true,
  });
  if (!result.verified) return { checked: false, revoked: false, error: result.error };
  const entries = result.results ?? [];
  const revoked = entries.some(
    (entry) => entry.credentialStatus.statusPurpose === REVOCATION_PURPOSE && entry.status === true,
  );
  return { checked: true, revoked };
}

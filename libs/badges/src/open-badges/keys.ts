import { createPrivateKey, createPublicKey, randomBytes, type KeyObject } from 'node:crypto';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import type { Ed25519MultikeyKeyPair } from '@digitalbazaar/ed25519-multikey';
import { DID_V1_CONTEXT_URL, MULTIKEY_V1_CONTEXT_URL } from './document-loader.js';
import { base58btcDecode, base58btcEncode } from './multibase.js';

/*
 * The platform's Open Badges 3.0 signing key: one Ed25519 key, expressed as a Multikey whose controller is
 * the issuer id (the URL of `/ob/v3/issuer`), with a stable id `<issuerId>#key-N` (`#key-1` unless
 * configured). A stable fragment rather than the library's default (`#<publicKeyMultibase>`) keeps the
 * verification method URL predictable for the HTTP layer. Rotation signs with a new key under a new
 * fragment (`#key-2`) while the controller document keeps publishing the public halves of earlier keys,
 * so every credential signed before still verifies (`buildControllerDocument(key, previous)`).
 *
 * BADGE_SIGNING_KEY string format (what `exportSecretKeyMultibase` produces and `importIssuerKey` accepts):
 *
 *   "z" + base58btc( 0x80 0x26 || seed )
 *
 * i.e. a multibase (base58-btc, prefix "z") encoding of the multicodec `ed25519-priv` varint (0x1300 →
 * bytes 0x80 0x26) followed by the 32-byte Ed25519 secret seed (RFC 8032 private key). That is the
 * canonical `secretKeyMultibase` of a W3C Multikey: always 48 characters beginning "z3u2". The public key is
 * derived from the seed, so the variable holds a single string. For compatibility, the older library
 * export of 64 bytes (seed || public key) after the same header is accepted too, provided its public half
 * matches the seed. Surrounding whitespace is ignored (it creeps into environment files).
 */

export const ISSUER_KEY_FRAGMENT = 'key-1';
const FRAGMENT = /^key-[1-9][0-9]*$/;
const ED25519_PUB_MULTICODEC = Uint8Array.of(0xed, 0x01);

const ED25519_PRIV_MULTICODEC = Uint8Array.of(0x80, 0x26);
const SEED_BYTES = 32;

export interface IssuerSigningKey {
  /** The issuer id: the URL of the controller document (`<PUBLIC_BASE_URL>/ob/v3/issuer`). */
  readonly issuerId: string;
  /** `<issuerId>#key-N`, the proof's `verificationMethod`. */
  readonly keyId: string;
  /** 'z6Mk…' — multibase multicodec ed25519-pub. */
  readonly publicKeyMultibase: string;
  /** The Digital Bazaar key pair; used by the signing suite. Holds the secret: never log it. */
  readonly keyPair: Ed25519MultikeyKeyPair;
}

/** A public Multikey as published inside the controller document. */
export interface MultikeyDocument {
  id: string;
  type: 'Multikey';
  controller: string;
  publicKeyMultibase: string;
}

/** The document served at `/ob/v3/issuer` (SPEC §3). */
export interface ControllerDocument {
  '@context': [typeof DID_V1_CONTEXT_URL, typeof MULTIKEY_V1_CONTEXT_URL];
  id: string;
  /** The signing key first, then earlier keys still published for what they signed. */
  assertionMethod: MultikeyDocument[];
}

/** An earlier signing key, public half only, still published under its fragment. */
export interface PreviousKey {
  fragment: string;
  publicKeyMultibase: string;
}

export function verificationMethodId(issuerId: string, fragment = ISSUER_KEY_FRAGMENT): string {
  if (!FRAGMENT.test(fragment)) throw new TypeError(`A key id must look like "key-2", got "${fragment}".`);
  return `${issuerId}#${fragment}`;
}

function assertIssuerId(issuerId: string): void {
  let url: URL;
  try {
    url = new URL(issuerId);
  } catch {
    throw new TypeError(`The issuer id must be an absolute URL, got "${issuerId}".`);
  }
  if (url.hash) throw new TypeError('The issuer id must not carry a fragment.');
}

async function fromSeed(issuerId: string, seed: Uint8Array, fragment: string): Promise<IssuerSigningKey> {
  assertIssuerId(issuerId);
  const keyId = verificationMethodId(issuerId, fragment);
  const keyPair = await Ed25519Multikey.generate({ id: keyId, controller: issuerId, seed });
  return { issuerId, keyId, publicKeyMultibase: keyPair.publicKeyMultibase, keyPair };
}

/** A fresh random key for `issuerId` (development, or the "generated once and stored" path). */
export async function generateIssuerKey(issuerId: string, fragment = ISSUER_KEY_FRAGMENT): Promise<IssuerSigningKey> {
  return fromSeed(issuerId, new Uint8Array(randomBytes(SEED_BYTES)), fragment);
}

/** A fresh secret in BADGE_SIGNING_KEY format, for an operator or the first boot to store. */
export function generateSecretKeyMultibase(): string {
  return encodeSecret(new Uint8Array(randomBytes(SEED_BYTES)));
}

/** Rebuilds the signing key from a BADGE_SIGNING_KEY string (format above). Throws a TypeError on bad input. */
export async function importIssuerKey(issuerId: string, secretKeyMultibase: string, fragment = ISSUER_KEY_FRAGMENT): Promise<IssuerSigningKey> {
  const seed = decodeSecret(secretKeyMultibase);
  const key = await fromSeed(issuerId, seed.seed, fragment);
  if (seed.publicKey && !bytesEqual(seed.publicKey, key.keyPair.publicKey)) {
    throw new TypeError('The signing key is inconsistent: its public half does not match its seed.');
  }
  return key;
}

/** The secret in BADGE_SIGNING_KEY format (always the canonical 32-byte form). */
export function exportSecretKeyMultibase(key: IssuerSigningKey): string {
  const secret = key.keyPair.secretKey;
  if (!secret) throw new Error('This key has no secret half.');
  return encodeSecret(secret.subarray(0, SEED_BYTES));
}

export function publicMultikey(key: IssuerSigningKey): MultikeyDocument {
  return {
    id: key.keyId,
    type: 'Multikey',
    controller: key.issuerId,
    publicKeyMultibase: key.publicKeyMultibase,
  };
}

/**
 * The controller document for `/ob/v3/issuer`: the signing key's public half, then the earlier keys'
 * (each under its own fragment, none the signing key's). Public keys only.
 */
export function buildControllerDocument(key: IssuerSigningKey, previous: readonly PreviousKey[] = []): ControllerDocument {
  const fragments = new Set([previousKeyEntry(key).split('=')[0]]);
  const earlier = previous.map(({ fragment, publicKeyMultibase }): MultikeyDocument => {
    const id = verificationMethodId(key.issuerId, fragment);
    if (fragments.has(fragment)) throw new TypeError(`The key id "${fragment}" is published twice (is the signing key's id new?).`);
    fragments.add(fragment);
    assertPublicKey(publicKeyMultibase);
    return { id, type: 'Multikey', controller: key.issuerId, publicKeyMultibase };
  });
  return {
    '@context': [DID_V1_CONTEXT_URL, MULTIKEY_V1_CONTEXT_URL],
    id: key.issuerId,
    assertionMethod: [publicMultikey(key), ...earlier],
  };
}

/** A key's BADGE_PREVIOUS_KEYS entry, `key-1=z6Mk…`: what to publish once it stops signing. */
export function previousKeyEntry(key: IssuerSigningKey): string {
  return `${key.keyId.slice(key.issuerId.length + 1)}=${key.publicKeyMultibase}`;
}

/**
 * BADGE_PREVIOUS_KEYS: `key-1=z6Mk…,key-2=z6Mk…` (the `badge-key current` line of each earlier key), in
 * any order; blank means none. Throws a TypeError naming the entry that is wrong.
 */
export function parsePreviousKeys(text: string | undefined): PreviousKey[] {
  return (text ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      const [fragment, publicKeyMultibase, ...rest] = entry.split('=').map((part) => part.trim());
      if (!publicKeyMultibase || rest.length || !FRAGMENT.test(fragment)) throw new TypeError(`A previous key must look like "key-1=z6Mk…", got "${entry}".`);
      assertPublicKey(publicKeyMultibase);
      return { fragment, publicKeyMultibase };
    });
}

function assertPublicKey(publicKeyMultibase: string): void {
  let bytes: Uint8Array | undefined;
  try {
    bytes = publicKeyMultibase.startsWith('z') ? base58btcDecode(publicKeyMultibase.slice(1)) : undefined;
  } catch {
    bytes = undefined;
  }
  if (!bytes || bytes.length !== ED25519_PUB_MULTICODEC.length + SEED_BYTES || bytes[0] !== ED25519_PUB_MULTICODEC[0] || bytes[1] !== ED25519_PUB_MULTICODEC[1]) {
    throw new TypeError(`"${publicKeyMultibase}" is not an Ed25519 public key in multibase (z6Mk…).`);
  }
}

/**
 * The same key as node:crypto KeyObjects (through JWK, no DER juggling) — for the benchmark's raw-signature
 * baseline and for any code that wants to sign something outside JSON-LD with the platform key.
 */
export function toNodeKeyObjects(key: IssuerSigningKey): { privateKey: KeyObject; publicKey: KeyObject } {
  const secret = key.keyPair.secretKey;
  if (!secret) throw new Error('This key has no secret half.');
  const jwk = {
    kty: 'OKP',
    crv: 'Ed25519',
    d: Buffer.from(secret.subarray(0, SEED_BYTES)).toString('base64url'),
    x: Buffer.from(key.keyPair.publicKey).toString('base64url'),
  };
  const privateKey = createPrivateKey({ key: jwk, format: 'jwk' });
  return { privateKey, publicKey: createPublicKey(privateKey) };
}

function encodeSecret(seed: Uint8Array): string {
  const bytes = new Uint8Array(ED25519_PRIV_MULTICODEC.length + seed.length);
  bytes.set(ED25519_PRIV_MULTICODEC);
  bytes.set(seed, ED25519_PRIV_MULTICODEC.length);
  return 'z' + base58btcEncode(bytes);
}

function decodeSecret(value: string): { seed: Uint8Array; publicKey?: Uint8Array } {
  const text = typeof value === 'string' ? value.trim() : '';
  if (!text.startsWith('z')) {
    throw new TypeError('The signing key must be a multibase base58-btc string starting with "z".');
  }
  let bytes: Uint8Array;
  try {
    bytes = base58btcDecode(text.slice(1));
  } catch {
    throw new TypeError('The signing key is not valid base58-btc.');
  }
  if (bytes[0] !== ED25519_PRIV_MULTICODEC[0] || bytes[1] !== ED25519_PRIV_MULTICODEC[1]) {
    throw new TypeError('The signing key is not an Ed25519 secret key (multicodec ed25519-priv, 0x1300).');
  }
  const body = bytes.subarray(ED25519_PRIV_MULTICODEC.length);
  if (body.length === SEED_BYTES) return { seed: body.slice() };
  if (body.length === 2 * SEED_BYTES) {
    return { seed: body.slice(0, SEED_BYTES), publicKey: body.slice(SEED_BYTES) };
  }
  throw new TypeError(`The signing key has ${body.length} key bytes; expected ${SEED_BYTES}.`);
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

import { sign, verify } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import jsonld from 'jsonld';
import { ISSUER_ID } from '../../testing/open-badges-fixtures.js';
import { createDocumentLoader } from './document-loader.js';
import {
  buildControllerDocument,
  exportSecretKeyMultibase,
  generateIssuerKey,
  generateSecretKeyMultibase,
  importIssuerKey,
  parsePreviousKeys,
  previousKeyEntry,
  toNodeKeyObjects,
} from './keys.js';
import { base58btcDecode, base58btcEncode } from './multibase.js';

describe('base58-btc', () => {
  it('matches the usual test vectors, including leading zero bytes', () => {
    expect(base58btcEncode(new TextEncoder().encode('Hello World!'))).toBe('2NEpo7TZRRrLZSi2U');
    expect(base58btcEncode(Uint8Array.of(0, 0, 0x28, 0x7f, 0xb4, 0xcd))).toBe('11233QC4');
    expect(base58btcEncode(new Uint8Array(0))).toBe('');
    expect([...base58btcDecode('11233QC4')]).toEqual([0, 0, 0x28, 0x7f, 0xb4, 0xcd]);
    expect(() => base58btcDecode('0OIl')).toThrow(/Invalid base58/);
  });

  it('round-trips random bytes', () => {
    for (let n = 1; n < 70; n += 7) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 97 + n) % 256);
      expect([...base58btcDecode(base58btcEncode(bytes))]).toEqual([...bytes]);
    }
  });
});

describe('issuer signing key (BADGE_SIGNING_KEY)', () => {
  it('exports the canonical Multikey secret: "z" + base58btc(0x80 0x26 + 32-byte seed)', async () => {
    const key = await generateIssuerKey(ISSUER_ID);
    const secret = exportSecretKeyMultibase(key);
    expect(secret).toMatch(/^z[1-9A-HJ-NP-Za-km-z]{47}$/);
    const bytes = base58btcDecode(secret.slice(1));
    expect(bytes.length).toBe(34);
    expect([bytes[0], bytes[1]]).toEqual([0x80, 0x26]);
    // The same string the library itself produces for a canonical secret key export.
    const exported = await key.keyPair.export({ publicKey: true, secretKey: true, canonicalize: true });
    expect(exported.secretKeyMultibase).toBe(secret);
    expect(exported.publicKeyMultibase).toBe(key.publicKeyMultibase);
    expect(key.publicKeyMultibase).toMatch(/^z6Mk/);
  });

  it('imports what it exports, with id <issuer>#key-1 and controller <issuer>', async () => {
    const key = await generateIssuerKey(ISSUER_ID);
    const again = await importIssuerKey(ISSUER_ID, `  ${exportSecretKeyMultibase(key)}\n`);
    expect(again.publicKeyMultibase).toBe(key.publicKeyMultibase);
    expect(again.keyId).toBe(`${ISSUER_ID}#key-1`);
    expect(again.keyPair.id).toBe(`${ISSUER_ID}#key-1`);
    expect(again.keyPair.controller).toBe(ISSUER_ID);
    const data = new TextEncoder().encode('badge');
    const signature = await again.keyPair.signer().sign({ data });
    expect(await key.keyPair.verifier().verify({ data, signature })).toBe(true);
  });

  it('accepts a freshly generated secret string', async () => {
    const secret = generateSecretKeyMultibase();
    const key = await importIssuerKey(ISSUER_ID, secret);
    expect(exportSecretKeyMultibase(key)).toBe(secret);
  });

  it('accepts the legacy 64-byte (seed || public key) export only when consistent', async () => {
    const key = await generateIssuerKey(ISSUER_ID);
    const legacy = (await key.keyPair.export({ secretKey: true })).secretKeyMultibase!;
    expect(base58btcDecode(legacy.slice(1)).length).toBe(66);
    expect((await importIssuerKey(ISSUER_ID, legacy)).publicKeyMultibase).toBe(key.publicKeyMultibase);

    const other = await generateIssuerKey(ISSUER_ID);
    const mixed = base58btcDecode(legacy.slice(1));
    mixed.set(other.keyPair.publicKey, 34);
    await expect(importIssuerKey(ISSUER_ID, 'z' + base58btcEncode(mixed))).rejects.toThrow(/inconsistent/);
  });

  it('rejects malformed key strings with a clear error', async () => {
    const key = await generateIssuerKey(ISSUER_ID);
    const good = exportSecretKeyMultibase(key);
    await expect(importIssuerKey(ISSUER_ID, '')).rejects.toThrow(/starting with "z"/);
    await expect(importIssuerKey(ISSUER_ID, 'u' + good.slice(1))).rejects.toThrow(/starting with "z"/);
    await expect(importIssuerKey(ISSUER_ID, good + '0')).rejects.toThrow(/not valid base58/);
    await expect(importIssuerKey(ISSUER_ID, key.publicKeyMultibase)).rejects.toThrow(/not an Ed25519 secret key/);
    const short = base58btcDecode(good.slice(1)).subarray(0, 33);
    await expect(importIssuerKey(ISSUER_ID, 'z' + base58btcEncode(short))).rejects.toThrow(/31 key bytes/);
    await expect(importIssuerKey('not-a-url', good)).rejects.toThrow(/absolute URL/);
    await expect(importIssuerKey(`${ISSUER_ID}#frag`, good)).rejects.toThrow(/fragment/);
  });

  it('gives node:crypto KeyObjects for the same key', async () => {
    const key = await generateIssuerKey(ISSUER_ID);
    const { privateKey, publicKey } = toNodeKeyObjects(key);
    const data = Buffer.from('same key');
    const signature = sign(null, data, privateKey);
    expect(verify(null, data, publicKey, signature)).toBe(true);
    expect(await key.keyPair.verifier().verify({ data, signature })).toBe(true);
  });
});

describe('controller document (/ob/v3/issuer)', () => {
  it('has the SPEC shape and only the public key', async () => {
    const key = await generateIssuerKey(ISSUER_ID);
    const document = buildControllerDocument(key);
    expect(document).toEqual({
      '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/multikey/v1'],
      id: ISSUER_ID,
      assertionMethod: [
        {
          id: `${ISSUER_ID}#key-1`,
          type: 'Multikey',
          controller: ISSUER_ID,
          publicKeyMultibase: key.publicKeyMultibase,
        },
      ],
    });
    expect(JSON.stringify(document)).not.toContain(exportSecretKeyMultibase(key).slice(1));
  });

  it('publishes earlier keys after the signing key, each under its own id, public halves only', async () => {
    const earlier = await generateIssuerKey(ISSUER_ID);
    const key = await generateIssuerKey(ISSUER_ID, 'key-2');
    expect(previousKeyEntry(earlier)).toBe(`key-1=${earlier.publicKeyMultibase}`);
    const document = buildControllerDocument(key, parsePreviousKeys(` ${previousKeyEntry(earlier)} `));
    expect(document.assertionMethod).toEqual([
      { id: `${ISSUER_ID}#key-2`, type: 'Multikey', controller: ISSUER_ID, publicKeyMultibase: key.publicKeyMultibase },
      { id: `${ISSUER_ID}#key-1`, type: 'Multikey', controller: ISSUER_ID, publicKeyMultibase: earlier.publicKeyMultibase },
    ]);
    expect(key.keyId).toBe(`${ISSUER_ID}#key-2`);
    expect(JSON.stringify(document)).not.toContain(exportSecretKeyMultibase(earlier).slice(1));
  });

  it('refuses malformed previous keys and key ids, naming what is wrong', async () => {
    const earlier = await generateIssuerKey(ISSUER_ID);
    expect(parsePreviousKeys(undefined)).toEqual([]);
    expect(parsePreviousKeys(' , ')).toEqual([]);
    expect(() => parsePreviousKeys(earlier.publicKeyMultibase)).toThrow(/must look like "key-1=z6Mk…"/);
    expect(() => parsePreviousKeys(`key-x=${earlier.publicKeyMultibase}`)).toThrow(/key-x=/);
    expect(() => parsePreviousKeys(`key-1=${exportSecretKeyMultibase(earlier)}`)).toThrow(/not an Ed25519 public key/);
    expect(() => parsePreviousKeys('key-1=z6MkNOTbase58!')).toThrow(/not an Ed25519 public key/);
    const key = await generateIssuerKey(ISSUER_ID, 'key-2');
    const twice = parsePreviousKeys(`key-1=${earlier.publicKeyMultibase},key-1=${earlier.publicKeyMultibase}`);
    expect(() => buildControllerDocument(key, twice)).toThrow(/"key-1" is published twice/);
    await expect(generateIssuerKey(ISSUER_ID, 'key-0')).rejects.toThrow(/must look like "key-2"/);
    await expect(importIssuerKey(ISSUER_ID, exportSecretKeyMultibase(earlier), '#key-2')).rejects.toThrow(/must look like "key-2"/);
  });

  it('is valid JSON-LD under the bundled contexts (safe mode expansion)', async () => {
    const key = await generateIssuerKey(ISSUER_ID);
    const expanded = (await jsonld.expand(buildControllerDocument(key), {
      documentLoader: createDocumentLoader(),
      safe: true,
    })) as Array<Record<string, unknown>>;
    const method = (expanded[0]['https://w3id.org/security#assertionMethod'] as Array<Record<string, unknown>>)[0];
    expect(method['@id']).toBe(`${ISSUER_ID}#key-1`);
    expect(method['@type']).toEqual(['https://w3id.org/security#Multikey']);
  });
});

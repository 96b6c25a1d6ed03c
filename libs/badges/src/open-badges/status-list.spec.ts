import { describe, expect, it } from '@jest/globals';
import { ISSUER_ID, STATUS_LIST_URL, createTestIssuer } from '../../testing/open-badges-fixtures.js';
import { verifyCredential } from './credential.js';
import {
  STATUS_LIST_MIN_LENGTH,
  allocateStatusIndex,
  buildStatusListCredential,
  createStatusList,
  decodeStatusList,
  encodeStatusList,
  isRevoked,
  setRevoked,
  statusListFromBytes,
  statusListToBytes,
} from './status-list.js';

describe('bitstring status list', () => {
  it('has at least 131,072 entries and refuses shorter or ragged lengths', () => {
    expect(STATUS_LIST_MIN_LENGTH).toBe(131072);
    expect(createStatusList().length).toBe(131072);
    expect(createStatusList(262144).length).toBe(262144);
    expect(() => createStatusList(1024)).toThrow(RangeError);
    expect(() => createStatusList(131073)).toThrow(RangeError);
  });

  it('sets and clears bits', () => {
    const list = createStatusList();
    setRevoked(list, 0, true);
    setRevoked(list, 131071, true);
    expect(isRevoked(list, 0)).toBe(true);
    expect(isRevoked(list, 1)).toBe(false);
    expect(isRevoked(list, 131071)).toBe(true);
    setRevoked(list, 0, false);
    expect(isRevoked(list, 0)).toBe(false);
    expect(() => setRevoked(list, 131072, true)).toThrow(/out of range/);
  });

  it('encodes as multibase "u" + base64url(GZIP(bits)) and decodes back', async () => {
    const list = createStatusList();
    setRevoked(list, 7, true);
    setRevoked(list, 99_999, true);
    const encoded = await encodeStatusList(list);
    expect(encoded).toMatch(/^u[A-Za-z0-9_-]+$/);
    const gzip = Buffer.from(encoded.slice(1), 'base64url');
    expect([gzip[0], gzip[1]]).toEqual([0x1f, 0x8b]);
    // Bit 7 is the least significant bit of the first byte (left-to-right indexing, spec §3.1).
    expect(statusListToBytes(list)[0]).toBe(0b00000001);
    const decoded = await decodeStatusList(encoded);
    expect(decoded.length).toBe(131072);
    expect(isRevoked(decoded, 7)).toBe(true);
    expect(isRevoked(decoded, 99_999)).toBe(true);
    expect(isRevoked(decoded, 8)).toBe(false);
  });

  it('round-trips through raw bytes, even from a slice of a larger buffer', () => {
    const list = createStatusList();
    setRevoked(list, 12, true);
    const stored = statusListToBytes(list);
    // What a database driver may hand back: a view into a bigger pooled buffer.
    const pool = new Uint8Array(stored.length + 100);
    pool.fill(0xff);
    pool.set(stored, 50);
    const restored = statusListFromBytes(pool.subarray(50, 50 + stored.length));
    expect(restored.length).toBe(131072);
    expect(isRevoked(restored, 12)).toBe(true);
    expect(isRevoked(restored, 0)).toBe(false);
    expect(isRevoked(restored, 131071)).toBe(false);
  });
});

describe('random index allocation', () => {
  it('picks unused indices within the list, spread across it', () => {
    const used = new Set<number>();
    for (let i = 0; i < 2000; i++) {
      const index = allocateStatusIndex(used);
      expect(used.has(index)).toBe(false);
      expect(index).toBeGreaterThanOrEqual(0);
      expect(index).toBeLessThan(131072);
      used.add(index);
    }
    // Not sequential: 2,000 random picks land in every sixteenth of the list.
    const buckets = new Set([...used].map((i) => Math.floor(i / 8192)));
    expect(buckets.size).toBe(16);
  });

  it('skips used indices the RNG proposes', () => {
    const draws = [5, 5, 6, 9];
    const index = allocateStatusIndex(new Set([5, 6]), { randomInt: () => draws.shift()! });
    expect(index).toBe(9);
  });

  it('still finds the free entries of an almost full list, and throws when full', () => {
    const length = 131072;
    const used = new Set<number>();
    for (let i = 0; i < length; i++) if (i !== 4242 && i !== 77777) used.add(i);
    const seen = new Set([allocateStatusIndex(used, { length }), allocateStatusIndex(used, { length })]);
    for (const index of seen) expect([4242, 77777]).toContain(index);
    used.add(4242);
    used.add(77777);
    expect(() => allocateStatusIndex(used, { length })).toThrow(/full/);
  });
});

describe('BitstringStatusListCredential', () => {
  it('has the SPEC shape: VC 2.0 context only, issuer id, BitstringStatusList subject, revocation', async () => {
    const list = createStatusList();
    const credential = await buildStatusListCredential({
      id: STATUS_LIST_URL,
      issuerId: ISSUER_ID,
      list,
      validFrom: new Date('2025-03-01T00:00:00Z'),
    });
    expect(credential).toEqual({
      '@context': ['https://www.w3.org/ns/credentials/v2'],
      id: STATUS_LIST_URL,
      type: ['VerifiableCredential', 'BitstringStatusListCredential'],
      issuer: ISSUER_ID,
      validFrom: '2025-03-01T00:00:00Z',
      credentialSubject: {
        id: `${STATUS_LIST_URL}#list`,
        type: 'BitstringStatusList',
        statusPurpose: 'revocation',
        encodedList: await encodeStatusList(list),
      },
    });
  });

  it('is signed by the same issuer key, with proof as an array, and verifies', async () => {
    const issuer = await createTestIssuer();
    const statusList = (await issuer.loader(STATUS_LIST_URL)).document as Record<string, any>;
    expect(statusList.issuer).toBe(ISSUER_ID);
    expect(statusList.proof).toEqual([
      expect.objectContaining({
        type: 'DataIntegrityProof',
        cryptosuite: 'eddsa-rdfc-2022',
        verificationMethod: `${ISSUER_ID}#key-1`,
        proofPurpose: 'assertionMethod',
      }),
    ]);
    expect(await verifyCredential(statusList, { documentLoader: issuer.loader })).toEqual({
      verified: true,
      errors: [],
    });
  });
});

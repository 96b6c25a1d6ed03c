import { createHash } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import {
  hashIdentity,
  hashRecipient,
  newRecipientSalt,
  platformUrn,
  recipientIdentity,
  recipientMatches,
} from './recipient.js';

describe('recipient hashing', () => {
  it('is sha256$ + hex(sha256(identity + salt)), recomputable from a known email and salt', () => {
    // Known vector, computed outside this code: printf 'ada@example.orgdeadbeef' | sha256sum
    expect(hashIdentity('ada@example.org', 'deadbeef')).toBe(
      'sha256$de98540c843f1128610e8935f43437d306b92bfbfd816740901d342b6375a518',
    );
    expect(hashIdentity('ada@example.org', 'deadbeef')).toBe(
      'sha256$' + createHash('sha256').update('ada@example.org' + 'deadbeef').digest('hex'),
    );
  });

  it('hashes the normalised email when there is one', () => {
    const identity = recipientIdentity({ userId: '3f1c2a9e-7b4d-4e51-9c3a-2d8f6b1e0a47', email: '  Ada@Example.ORG ' });
    expect(identity).toEqual({ kind: 'email', identity: 'ada@example.org' });
    const hashed = hashRecipient(identity, 'salty');
    expect(hashed).toEqual({ kind: 'email', salt: 'salty', identityHash: hashIdentity('ada@example.org', 'salty') });
    expect(recipientMatches(hashed, 'ada@example.org')).toBe(true);
    expect(recipientMatches(hashed, 'eve@example.org')).toBe(false);
  });

  it('falls back to a stable platform URN for accounts without email', () => {
    const identity = recipientIdentity({ userId: '3F1C2A9E-7B4D-4E51-9C3A-2D8F6B1E0A47', email: null });
    expect(identity).toEqual({ kind: 'id', identity: 'urn:uuid:3f1c2a9e-7b4d-4e51-9c3a-2d8f6b1e0a47' });
    expect(recipientIdentity({ userId: '3f1c2a9e-7b4d-4e51-9c3a-2d8f6b1e0a47', email: '   ' }).kind).toBe('id');
    expect(() => platformUrn('42')).toThrow(/UUID/);
  });

  it('uses a fresh random salt per award', () => {
    const salts = new Set(Array.from({ length: 50 }, () => newRecipientSalt()));
    expect(salts.size).toBe(50);
    for (const salt of salts) expect(salt).toMatch(/^[0-9a-f]{32}$/);
    const identity = { kind: 'email' as const, identity: 'ada@example.org' };
    expect(hashRecipient(identity).identityHash).not.toBe(hashRecipient(identity).identityHash);
    expect(() => hashRecipient(identity, '')).toThrow(/salt/);
  });
});

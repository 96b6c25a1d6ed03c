import { describe, expect, it } from '@jest/globals';
import { SecretBox } from './secret-box.js';

describe('SecretBox', () => {
  const box = new SecretBox('master-secret-of-the-install', 'notification-token');

  it('round-trips and never shows the plaintext', () => {
    const sealed = box.seal('tok_abc123');
    expect(sealed).not.toContain('tok_abc123');
    expect(box.open(sealed)).toBe('tok_abc123');
    expect(box.seal('tok_abc123')).not.toBe(sealed); // fresh IV each time
  });

  it('refuses tampered data and other purposes', () => {
    const sealed = box.seal('tok_abc123');
    const [iv, tag, body] = sealed.split('.');
    const flipped = Buffer.from(body, 'base64url');
    flipped[0] ^= 1;
    expect(() => box.open([iv, tag, flipped.toString('base64url')].join('.'))).toThrow();
    expect(() => new SecretBox('master-secret-of-the-install', 'other').open(sealed)).toThrow();
  });
});

import { describe, expect, it } from '@jest/globals';
import { AppConfig, type SecretsService } from '@app/platform';
import { ONE_TIME_PASSWORD_BITS, OneTimePasswords, newOneTimePassword, normaliseOneTimePassword } from './one-time-passwords.js';

const secrets = (master: string) => ({ master: async () => master }) as unknown as SecretsService;
const config = AppConfig.load({ NODE_ENV: 'test' });

describe('one-time passwords', () => {
  it('carry at least 80 bits: three groups of six from a 27-letter alphabet without vowels or look-alikes', () => {
    expect(ONE_TIME_PASSWORD_BITS).toBeGreaterThanOrEqual(80);
    for (let i = 0; i < 200; i++) expect(newOneTimePassword()).toMatch(/^[bcdfghjkmnpqrstvwxz2-9]{6}-[bcdfghjkmnpqrstvwxz2-9]{6}-[bcdfghjkmnpqrstvwxz2-9]{6}$/);
    expect(new Set(Array.from({ length: 5000 }, newOneTimePassword)).size).toBe(5000);
  });

  it('are compared without regard to case, spaces or hyphens', () => {
    expect(normaliseOneTimePassword(' K7DQ2M xh4bz9-ws3tnf ')).toBe('k7dq2mxh4bz9ws3tnf');
  });

  it('are stored as an HMAC-SHA256 under a key derived from the master secret, never in the clear', async () => {
    const service = new OneTimePasswords(secrets('master-secret-one-0123456789abcdef'), config);
    const [issued] = await service.issue();
    expect(issued.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(issued.hash).not.toContain(normaliseOneTimePassword(issued.password));
    expect(await service.matches(issued.hash, issued.password)).toBe(true);
    expect(await service.matches(issued.hash, issued.password.toUpperCase().replace(/-/g, ' '))).toBe(true);
    expect(await service.matches(issued.hash, `${issued.password}x`)).toBe(false);
    // Another master secret, another key: a leaked table alone does not let anyone test guesses.
    const other = new OneTimePasswords(secrets('master-secret-two-0123456789abcdef'), config);
    expect(await other.matches(issued.hash, issued.password)).toBe(false);
  });

  it('issues a batch under one key, each different', async () => {
    const batch = await new OneTimePasswords(secrets('master-secret-one-0123456789abcdef'), config).issue(500);
    expect(new Set(batch.map((b) => b.password)).size).toBe(500);
    expect(new Set(batch.map((b) => b.hash)).size).toBe(500);
  });
});

import { describe, expect, it } from '@jest/globals';
import { AppConfig } from '@app/platform';
import { PasswordService } from './password.service.js';

const passwords = new PasswordService(AppConfig.load({ NODE_ENV: 'test' }));

describe('password policy', () => {
  it('wants 10 to 128 characters', () => {
    expect(passwords.check('short-pw', 'password')).toHaveLength(1);
    expect(passwords.check('x'.repeat(129), 'password')).toHaveLength(1);
    expect(passwords.check('ten-chars!', 'password')).toEqual([]);
  });

  it('refuses the bundled list of common passwords, whatever the case', () => {
    for (const p of ['password123', 'QwertyUIOP', '1q2w3e4r5t']) expect(passwords.check(p, 'password')[0].message).toMatch(/common/);
  });

  it('refuses a password containing the name or username', () => {
    expect(passwords.check('amira-is-great-1', 'newPassword', ['Amira'])[0]).toEqual({
      field: 'newPassword',
      message: expect.stringMatching(/name/),
    });
  });

  it('hashes with argon2id and OWASP parameters, and verifies', async () => {
    await passwords.onModuleInit();
    const phc = await passwords.hash('violet-harbour-lantern');
    expect(phc).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await passwords.verify(phc, 'violet-harbour-lantern')).toBe(true);
    expect(await passwords.verify(phc, 'violet-harbour-lanterns')).toBe(false);
    expect(await passwords.verify(null, 'anything')).toBe(false);
  });
});

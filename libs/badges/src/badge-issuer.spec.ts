import { describe, expect, it, jest } from '@jest/globals';
import { AppConfig, type SecretsService } from '@app/platform';
import { BADGE_SIGNING_SECRET, BadgeIssuer } from './badge-issuer.service.js';
import { generateSecretKeyMultibase, importIssuerKey } from './open-badges/index.js';

const issuerId = 'https://young-ideas.example/ob/v3/issuer';

function secretsReturning(value: string) {
  const get = jest.fn((_name: string, configured: string | undefined, _generate: () => string) => Promise.resolve(configured ?? value));
  return { secrets: { get } as unknown as SecretsService, get };
}

describe('the badge issuer key', () => {
  it('signs with BADGE_SIGNING_KEY when it is configured', async () => {
    const configured = generateSecretKeyMultibase();
    const config = AppConfig.load({ NODE_ENV: 'test', PUBLIC_BASE_URL: 'https://young-ideas.example', BADGE_SIGNING_KEY: configured });
    const { secrets, get } = secretsReturning(generateSecretKeyMultibase());
    const issuer = new BadgeIssuer(config, secrets);
    const controller = await issuer.controllerDocument();
    expect(controller.id).toBe(issuerId);
    expect(controller.assertionMethod[0].publicKeyMultibase).toBe((await importIssuerKey(issuerId, configured)).publicKeyMultibase);
    expect(get).toHaveBeenCalledWith(BADGE_SIGNING_SECRET, configured, generateSecretKeyMultibase);
  });

  it('otherwise uses the key generated once and stored, the same for every process', async () => {
    const stored = generateSecretKeyMultibase();
    const config = AppConfig.load({ NODE_ENV: 'test', PUBLIC_BASE_URL: 'https://young-ideas.example' });
    const first = new BadgeIssuer(config, secretsReturning(stored).secrets);
    const second = new BadgeIssuer(config, secretsReturning(stored).secrets);
    const a = (await first.controllerDocument()).assertionMethod[0].publicKeyMultibase;
    expect(a).toBe((await second.controllerDocument()).assertionMethod[0].publicKeyMultibase);
    expect(a).toBe((await importIssuerKey(issuerId, stored)).publicKeyMultibase);
  });

  it('after a rotation signs as BADGE_SIGNING_KEY_ID and keeps publishing BADGE_PREVIOUS_KEYS', async () => {
    const earlier = await importIssuerKey(issuerId, generateSecretKeyMultibase());
    const current = generateSecretKeyMultibase();
    const config = AppConfig.load({
      NODE_ENV: 'test',
      PUBLIC_BASE_URL: 'https://young-ideas.example',
      BADGE_SIGNING_KEY: current,
      BADGE_SIGNING_KEY_ID: 'key-2',
      BADGE_PREVIOUS_KEYS: `key-1=${earlier.publicKeyMultibase}`,
    });
    const issuer = new BadgeIssuer(config, secretsReturning('unused').secrets);
    expect((await issuer.signOptions(new Date())).key.keyId).toBe(`${issuerId}#key-2`);
    expect((await issuer.controllerDocument()).assertionMethod.map((m) => [m.id, m.publicKeyMultibase])).toEqual([
      [`${issuerId}#key-2`, (await importIssuerKey(issuerId, current)).publicKeyMultibase],
      [`${issuerId}#key-1`, earlier.publicKeyMultibase],
    ]);
    expect(() => AppConfig.load({ NODE_ENV: 'test', BADGE_SIGNING_KEY_ID: 'two' })).toThrow(/BADGE_SIGNING_KEY_ID/);
    // An earlier key published under the signing key's own id, or malformed, stops the boot.
    for (const previous of [`key-2=${earlier.publicKeyMultibase}`, 'key-1=not-a-key']) {
      const broken = new BadgeIssuer(AppConfig.load({ NODE_ENV: 'test', BADGE_SIGNING_KEY: current, BADGE_SIGNING_KEY_ID: 'key-2', BADGE_PREVIOUS_KEYS: previous }), secretsReturning('unused').secrets);
      await expect(broken.onApplicationBootstrap()).rejects.toThrow(TypeError);
    }
  });

  it('refuses to boot with a malformed key, and tries again on the next call', async () => {
    // Well-formed base58, but a public key (ed25519-pub), not a secret one.
    const config = AppConfig.load({ NODE_ENV: 'test', BADGE_SIGNING_KEY: 'z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK' });
    const issuer = new BadgeIssuer(config, secretsReturning('unused').secrets);
    await expect(issuer.onApplicationBootstrap()).rejects.toThrow(TypeError);
    await expect(issuer.controllerDocument()).rejects.toThrow(TypeError);
  });
});

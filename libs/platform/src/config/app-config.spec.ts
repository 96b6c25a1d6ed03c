import { describe, expect, it } from '@jest/globals';
import { AppConfig, ConfigError } from './app-config.js';

describe('configuration', () => {
  it('has defaults that serve a local machine', () => {
    const c = AppConfig.load({});
    expect(c.env).toBe('development');
    expect(c.db.url).toBe('postgres://postgres@127.0.0.1:5432/young_ideas');
    expect(c.redis.url).toBe('redis://127.0.0.1:6379');
    expect(c.http).toMatchObject({ port: 3000, publicBaseUrl: 'http://localhost:3000', rateLimitIpPerMinute: 1200, corsOrigins: [] });
    expect(c.badges.levelThresholds).toEqual([250, 500, 1000]);
    expect(c.mail.smtpUrl).toBeUndefined();
  });

  it('refuses to start in production without the required variables, naming each', () => {
    expect(() => AppConfig.load({ NODE_ENV: 'production' })).toThrow(ConfigError);
    try {
      AppConfig.load({ NODE_ENV: 'production', DATABASE_URL: 'postgres://db/x' });
    } catch (e) {
      for (const name of ['REDIS_URL', 'SMTP_URL', 'PUBLIC_BASE_URL', 'JWT_SECRET', 'BADGE_SIGNING_KEY', 'MAIL_FROM', 'ISSUER_EMAIL', 'TRUST_PROXY']) {
        expect(String(e)).toContain(`${name} is required in production`);
      }
      expect(String(e)).not.toContain('DATABASE_URL is required');
    }
  });

  const PRODUCTION = {
    NODE_ENV: 'production',
    DATABASE_URL: 'postgres://db/x',
    REDIS_URL: 'redis://cache:6379',
    SMTP_URL: 'smtp://mail:25',
    PUBLIC_BASE_URL: 'https://young-ideas.example/',
    JWT_SECRET: 'x'.repeat(40),
    BADGE_SIGNING_KEY: 'z3u2en7t5LR2WtQH5PfsRmDdq7fHhGA5VnKcbABjmEDq',
    MAIL_FROM: 'Young Ideas <no-reply@young-ideas.example>',
    ISSUER_EMAIL: 'badges@young-ideas.example',
    TRUST_PROXY: '1',
  };

  it('starts in production when everything is given', () => {
    const c = AppConfig.load({ ...PRODUCTION, CORS_ORIGINS: 'https://a.example, https://b.example', LEVEL_THRESHOLDS: '100,200,300' });
    expect(c.http.publicBaseUrl).toBe('https://young-ideas.example');
    expect(c.http.corsOrigins).toEqual(['https://a.example', 'https://b.example']);
    expect(c.http.trustProxy).toBe(1);
    expect(c.badges.levelThresholds).toEqual([100, 200, 300]);
  });

  it('rejects malformed values', () => {
    expect(() => AppConfig.load({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => AppConfig.load({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL/);
    expect(() => AppConfig.load({ LEVEL_THRESHOLDS: '1,2' })).toThrow(/LEVEL_THRESHOLDS/);
    expect(() => AppConfig.load({ JWT_SECRET: 'short' })).toThrow(/JWT_SECRET/);
  });

  it('accepts only strictly ascending level thresholds, Bronze < Silver < Gold', () => {
    for (const value of ['1000,500,250', '250,250,1000', '250,1000,500']) {
      expect(() => AppConfig.load({ LEVEL_THRESHOLDS: value })).toThrow(/LEVEL_THRESHOLDS must be strictly ascending/);
    }
    expect(AppConfig.load({ LEVEL_THRESHOLDS: '1,2,3' }).badges.levelThresholds).toEqual([1, 2, 3]);
  });

  it('in production, wants an explicit TRUST_PROXY, which may be false for an API facing clients directly', () => {
    const { TRUST_PROXY: _, ...withoutTrustProxy } = PRODUCTION;
    expect(() => AppConfig.load(withoutTrustProxy)).toThrow(/TRUST_PROXY is required in production/);
    expect(() => AppConfig.load({ ...withoutTrustProxy, TRUST_PROXY: '' })).toThrow(/TRUST_PROXY is required in production/);
    expect(AppConfig.load({ ...PRODUCTION, TRUST_PROXY: 'false' }).http.trustProxy).toBe(false);
  });

  it('in production, wants a sender and an issuer email rather than the young-ideas.local defaults', () => {
    const { MAIL_FROM: _, ISSUER_EMAIL: __, ...withoutSenders } = PRODUCTION;
    expect(() => AppConfig.load(withoutSenders)).toThrow(/MAIL_FROM is required in production[\s\S]*ISSUER_EMAIL is required in production/);
    const c = AppConfig.load(PRODUCTION);
    expect(c.mail.from).toBe(PRODUCTION.MAIL_FROM);
    expect(c.badges.issuerEmail).toBe(PRODUCTION.ISSUER_EMAIL);
  });

  it('in production, wants PUBLIC_BASE_URL on https and not localhost; elsewhere http://localhost is fine', () => {
    for (const url of ['http://young-ideas.example', 'https://localhost:3000', 'https://127.0.0.1', 'https://[::1]:8443', 'https://app.localhost']) {
      expect(() => AppConfig.load({ ...PRODUCTION, PUBLIC_BASE_URL: url })).toThrow(/PUBLIC_BASE_URL must be an https URL other than localhost/);
    }
    expect(AppConfig.load({ PUBLIC_BASE_URL: 'http://localhost:3000' }).http.publicBaseUrl).toBe('http://localhost:3000');
    expect(AppConfig.load({ NODE_ENV: 'test', PUBLIC_BASE_URL: 'http://young-ideas.test' }).http.publicBaseUrl).toBe('http://young-ideas.test');
  });
});

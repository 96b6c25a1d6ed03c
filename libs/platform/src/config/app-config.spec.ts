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
      for (const name of ['REDIS_URL', 'SMTP_URL', 'PUBLIC_BASE_URL', 'JWT_SECRET', 'BADGE_SIGNING_KEY']) expect(String(e)).toContain(name);
      expect(String(e)).not.toContain('DATABASE_URL is required');
    }
  });

  it('starts in production when everything is given', () => {
    const c = AppConfig.load({
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://db/x',
      REDIS_URL: 'redis://cache:6379',
      SMTP_URL: 'smtp://mail:25',
      PUBLIC_BASE_URL: 'https://young-ideas.example/',
      JWT_SECRET: 'x'.repeat(40),
      BADGE_SIGNING_KEY: 'z3u2en7t5LR2WtQH5PfsRmDdq7fHhGA5VnKcbABjmEDq',
      CORS_ORIGINS: 'https://a.example, https://b.example',
      TRUST_PROXY: '1',
      LEVEL_THRESHOLDS: '100,200,300',
    });
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
});

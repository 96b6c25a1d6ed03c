import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  MinLength,
  validateSync,
} from 'class-validator';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** The environment as the process receives it; validated once at boot. */
class Env {
  @IsOptional() @IsIn(['production', 'development', 'test']) NODE_ENV?: string;
  @IsOptional() @Matches(/^postgres(ql)?:\/\//) DATABASE_URL?: string;
  @IsOptional() @IsInt() @Min(2) @Max(500) DATABASE_POOL_SIZE?: number;
  @IsOptional() @Matches(/^rediss?:\/\//) REDIS_URL?: string;
  @IsOptional() @Matches(/^[a-zA-Z0-9_:-]{1,64}$/) REDIS_PREFIX?: string;
  @IsOptional() @Matches(/^smtps?:\/\//) SMTP_URL?: string;
  @IsOptional() @IsString() MAIL_DIR?: string;
  @IsOptional() @IsInt() @Min(0) @Max(65535) PORT?: number;
  @IsOptional() @IsUrl({ require_tld: false, protocols: ['http', 'https'] }) PUBLIC_BASE_URL?: string;
  @IsOptional() @IsString() CORS_ORIGINS?: string;
  @IsOptional() @IsString() TRUST_PROXY?: string;
  @IsOptional() @IsString() MAIL_FROM?: string;
  @IsOptional() @IsIn(LOG_LEVELS) LOG_LEVEL?: string;
  @IsOptional() @IsInt() @Min(1) RATE_LIMIT_IP_PER_MINUTE?: number;
  @IsOptional() @IsInt() @Min(1) RATE_LIMIT_ACCOUNT_PER_MINUTE?: number;
  @IsOptional() @IsString() ISSUER_NAME?: string;
  @IsOptional() @IsUrl({ require_tld: false }) ISSUER_URL?: string;
  @IsOptional() @IsString() ISSUER_EMAIL?: string;
  @IsOptional() @Matches(/^z[1-9A-HJ-NP-Za-km-z]+$/, { message: 'BADGE_SIGNING_KEY must be a base58btc multibase Ed25519 secret key' })
  BADGE_SIGNING_KEY?: string;
  @IsOptional() @Matches(/^key-[1-9][0-9]*$/, { message: 'BADGE_SIGNING_KEY_ID must look like key-2' }) BADGE_SIGNING_KEY_ID?: string;
  @IsOptional() @IsString() BADGE_PREVIOUS_KEYS?: string;
  @IsOptional() @Matches(/^\d+,\d+,\d+$/, { message: 'LEVEL_THRESHOLDS must be three integers, e.g. 250,500,1000' })
  LEVEL_THRESHOLDS?: string;
  @IsOptional() @IsString() G360_PREFIX?: string;
  @IsOptional() @IsString() G360_FUNDER_ID?: string;
  @IsOptional() @IsString() G360_FUNDER_NAME?: string;
  @IsOptional() @IsString() @MinLength(32) JWT_SECRET?: string;
  @IsOptional() @IsInt() @Min(1) ARGON2_MEMORY_KIB?: number;
}

const REQUIRED_IN_PRODUCTION = [
  'DATABASE_URL',
  'REDIS_URL',
  'SMTP_URL',
  'PUBLIC_BASE_URL',
  'JWT_SECRET',
  'BADGE_SIGNING_KEY',
  // The defaults name young-ideas.local, a sender mail providers reject.
  'MAIL_FROM',
  'ISSUER_EMAIL',
  // Unset means no proxy is trusted: behind a load balancer every client would share its address, so one per-IP
  // rate-limit bucket for the whole country. `false` is a valid answer when the API faces clients directly.
  'TRUST_PROXY',
] as const;

export class ConfigError extends Error {}

/**
 * Typed, validated configuration. The only place that reads `process.env`.
 * Secrets left unset outside production are generated once and kept in the database (SecretsService).
 */
export class AppConfig {
  readonly env!: 'production' | 'development' | 'test';
  readonly http!: {
    port: number;
    publicBaseUrl: string;
    corsOrigins: string[];
    trustProxy: boolean | number | string;
    rateLimitIpPerMinute: number;
    rateLimitAccountPerMinute: number;
  };
  readonly db!: { url: string; poolSize: number };
  readonly redis!: { url: string; prefix: string };
  readonly mail!: { smtpUrl?: string; from: string; dir: string };
  readonly auth!: { jwtSecret?: string; argon2MemoryKib: number };
  readonly badges!: {
    signingKey?: string;
    /** The fragment the signing key is published under (`key-1`, `key-2` after a rotation, …). */
    signingKeyId: string;
    /** Earlier keys' public halves, still published: `key-1=z6Mk…,…` (parsed by the badges area). */
    previousKeys?: string;
    issuerName: string;
    issuerUrl: string;
    issuerEmail: string;
    levelThresholds: [number, number, number];
  };
  readonly g360!: { prefix: string; funderId: string; funderName: string };
  readonly log!: { level: string };

  static load(source: Record<string, string | undefined> = process.env): AppConfig {
    const raw = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
    const env = plainToInstance(Env, raw, { enableImplicitConversion: true });
    const errors = validateSync(env, { whitelist: false });
    const problems = errors.flatMap((e) => Object.values(e.constraints ?? {}));
    const nodeEnv = (env.NODE_ENV ?? 'development') as AppConfig['env'];
    const valid = (name: keyof Env) => env[name] !== undefined && !errors.some((e) => e.property === name);
    if (nodeEnv === 'production') {
      for (const name of REQUIRED_IN_PRODUCTION) if (!env[name]) problems.push(`${name} is required in production`);
      if (valid('PUBLIC_BASE_URL') && !isPublicHttps(env.PUBLIC_BASE_URL!)) {
        problems.push('PUBLIC_BASE_URL must be an https URL other than localhost in production: it is the origin of emailed links and badges');
      }
    }
    if (valid('LEVEL_THRESHOLDS')) {
      const [bronze, silver, gold] = env.LEVEL_THRESHOLDS!.split(',').map(Number);
      if (!(bronze < silver && silver < gold)) problems.push('LEVEL_THRESHOLDS must be strictly ascending (Bronze < Silver < Gold), e.g. 250,500,1000');
    }
    if (problems.length) throw new ConfigError(`Invalid configuration:\n- ${problems.join('\n- ')}`);

    const publicBaseUrl = (env.PUBLIC_BASE_URL ?? 'http://localhost:3000').replace(/\/+$/, '');
    const thresholds = (env.LEVEL_THRESHOLDS ?? '250,500,1000').split(',').map(Number) as [number, number, number];
    return Object.assign(new AppConfig(), {
      env: nodeEnv,
      http: {
        port: env.PORT ?? 3000,
        publicBaseUrl,
        corsOrigins: (env.CORS_ORIGINS ?? '').split(',').map((s) => s.trim()).filter(Boolean),
        trustProxy: parseTrustProxy(env.TRUST_PROXY),
        rateLimitIpPerMinute: env.RATE_LIMIT_IP_PER_MINUTE ?? 1200,
        rateLimitAccountPerMinute: env.RATE_LIMIT_ACCOUNT_PER_MINUTE ?? 600,
      },
      db: { url: env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/young_ideas', poolSize: env.DATABASE_POOL_SIZE ?? 20 },
      redis: { url: env.REDIS_URL ?? 'redis://127.0.0.1:6379', prefix: env.REDIS_PREFIX ?? 'yi' },
      mail: {
        smtpUrl: env.SMTP_URL,
        from: env.MAIL_FROM ?? 'Young Ideas <no-reply@young-ideas.local>',
        dir: env.MAIL_DIR ?? 'var/mail',
      },
      auth: { jwtSecret: env.JWT_SECRET, argon2MemoryKib: env.ARGON2_MEMORY_KIB ?? 19456 },
      badges: {
        signingKey: env.BADGE_SIGNING_KEY,
        signingKeyId: env.BADGE_SIGNING_KEY_ID ?? 'key-1',
        previousKeys: env.BADGE_PREVIOUS_KEYS,
        issuerName: env.ISSUER_NAME ?? 'Young Ideas',
        issuerUrl: env.ISSUER_URL ?? publicBaseUrl,
        issuerEmail: env.ISSUER_EMAIL ?? 'badges@young-ideas.local',
        levelThresholds: thresholds,
      },
      g360: {
        prefix: env.G360_PREFIX ?? '360G-youngideas',
        funderId: env.G360_FUNDER_ID ?? 'GB-COH-00000000',
        funderName: env.G360_FUNDER_NAME ?? 'Young Ideas',
      },
      log: { level: env.LOG_LEVEL ?? (nodeEnv === 'test' ? 'silent' : 'info') },
    });
  }
}

function isPublicHttps(value: string): boolean {
  const url = new URL(value);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return url.protocol === 'https:' && !/^(localhost|.*\.localhost|127(\.\d+){3}|::1|0\.0\.0\.0)$/i.test(host);
}

function parseTrustProxy(value: string | undefined): boolean | number | string {
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;
  if (/^\d+$/.test(value)) return Number(value);
  return value; // e.g. "loopback" or a comma-separated list of addresses
}

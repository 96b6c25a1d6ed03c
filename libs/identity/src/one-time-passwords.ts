import { Injectable } from '@nestjs/common';
import { hkdfSync } from 'node:crypto';
import { AppConfig, SecretsService, constantTimeEqual, hmacSha256Hex, randomFromAlphabet } from '@app/platform';

// No vowels (so no words), no l, 1, 0, o or i (so nothing to misread on a printed slip).
const ALPHABET = 'bcdfghjkmnpqrstvwxz23456789';
const GROUPS = 3;
const GROUP_LENGTH = 6;
/** 18 characters of 27 possibilities: log2(27) × 18 ≈ 85.6 bits. */
export const ONE_TIME_PASSWORD_BITS = Math.log2(ALPHABET.length) * GROUPS * GROUP_LENGTH;

/** "k7dq2m-xh4bz9-ws3tnf": three groups of six, read out or printed for a pupil. */
export function newOneTimePassword(): string {
  return Array.from({ length: GROUPS }, () => randomFromAlphabet(ALPHABET, GROUP_LENGTH)).join('-');
}

/** What a pupil types may differ in case, spaces and hyphens from the printed slip. */
export const normaliseOneTimePassword = (typed: string): string => typed.toLowerCase().replace(/[\s-]/g, '');

export interface IssuedOneTimePassword {
  /** Shown once, to the teacher who asked for it. */
  password: string;
  /** What is stored. */
  hash: string;
}

/**
 * One-time passwords of roster accounts. Being random (≥ 80 bits) they need no slow hash: a keyed
 * HMAC-SHA256 (key derived from the master secret) stands until the first change, so importing 500
 * pupils costs milliseconds rather than 500 argon2 runs.
 */
@Injectable()
export class OneTimePasswords {
  private key?: Promise<Buffer>;

  constructor(
    private readonly secrets: SecretsService,
    private readonly config: AppConfig,
  ) {}

  async issue(count = 1): Promise<IssuedOneTimePassword[]> {
    const key = await this.hmacKey();
    return Array.from({ length: count }, () => {
      const password = newOneTimePassword();
      return { password, hash: hmacSha256Hex(key, normaliseOneTimePassword(password)) };
    });
  }

  async matches(hash: string, typed: string): Promise<boolean> {
    return constantTimeEqual(hash, hmacSha256Hex(await this.hmacKey(), normaliseOneTimePassword(typed)));
  }

  private hmacKey(): Promise<Buffer> {
    this.key ??= this.secrets
      .master()
      .then((master) => Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), 'young-ideas:one-time-password', 32)));
    return this.key;
  }
}

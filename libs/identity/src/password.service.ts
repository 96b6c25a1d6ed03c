import { Injectable, type OnModuleInit } from '@nestjs/common';
import { hash, verify, type Algorithm } from '@node-rs/argon2';
import { dictionary } from '@zxcvbn-ts/language-common';
import { AppConfig, type FieldError } from '@app/platform';

export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 128;

const COMMON = new Set((dictionary['passwords-common'] as string[]).map((p) => p.toLowerCase()));

/**
 * argon2id with OWASP's parameters (19 MiB, t=2, p=1). @node-rs/argon2 hashes on libuv's thread pool,
 * off the event loop.
 */
@Injectable()
export class PasswordService implements OnModuleInit {
  private dummyHash = '';

  constructor(private readonly config: AppConfig) {}

  async onModuleInit(): Promise<void> {
    this.dummyHash = await this.hash('not-a-real-password-0f3c');
  }

  hash(password: string): Promise<string> {
    return hash(password, {
      algorithm: 2 as Algorithm, // Argon2id
      memoryCost: this.config.auth.argon2MemoryKib,
      timeCost: 2,
      parallelism: 1,
    });
  }

  /** Verifies against `phc`, or against a dummy hash when there is none, so both cost the same time. */
  async verify(phc: string | null | undefined, password: string): Promise<boolean> {
    const ok = await verify(phc || this.dummyHash, password).catch(() => false);
    return Boolean(phc) && ok;
  }

  /** Why a new password is refused, if it is (field errors for `field`). */
  check(password: unknown, field: string, personal: (string | null | undefined)[] = []): FieldError[] {
    if (typeof password !== 'string') return [{ field, message: `${field} must be a string` }];
    const length = [...password].length;
    if (length < PASSWORD_MIN || length > PASSWORD_MAX)
      return [{ field, message: `${field} must be ${PASSWORD_MIN} to ${PASSWORD_MAX} characters long` }];
    const lower = password.toLowerCase();
    if (COMMON.has(lower)) return [{ field, message: `${field} is too common; choose a less guessable password` }];
    if (personal.some((p) => p && p.length >= 3 && lower.includes(p.toLowerCase())))
      return [{ field, message: `${field} must not contain your name, username or email` }];
    return [];
  }
}

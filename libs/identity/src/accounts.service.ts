import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService, Clock, SingleUseTokens, londonDate, type FieldError } from '@app/platform';
import { NotificationsService } from '@app/notifications';
import { IdentityError } from './identity.errors.js';
import { PasswordService } from './password.service.js';
import {
  ADULT_AGE,
  CONSENT_AGE,
  ENTRANT_MAX_AGE,
  ENTRANT_MIN_AGE,
  REGIONS,
  ageBand,
  ageOn,
  displayName,
  effectiveConsent,
  isCalendarDate,
  type AgeBand,
  type ConsentStatus,
  type Region,
  type Role,
} from './people.js';
import { usernameCandidates, usernameStem } from './usernames.js';
import { User, type AccountOrigin, type ProfileVisibility } from './user.entity.js';

export const VERIFY_EMAIL_TTL_MS = 48 * 3600_000;
export const VERIFY_EMAIL = 'verify_email';

export interface RegisterInput {
  accountType: 'entrant' | 'teacher';
  email?: string;
  password: string;
  firstName: string;
  lastName: string;
  dateOfBirth: string;
  region: Region;
  parentEmail?: string;
}

export interface ProfilePatch {
  firstName?: string;
  lastName?: string;
  region?: Region | null;
  email?: string;
  privacy?: { profileVisibility?: ProfileVisibility; marketingOptIn?: boolean };
}

/** What an account looks like to its owner (SPEC §3 user shape, less points which badges add). */
export interface AccountView {
  id: string;
  username: string;
  email: string | null;
  firstName: string;
  lastName: string;
  displayName: string;
  roles: Role[];
  ageBand: AgeBand;
  region: Region | null;
  consentStatus: ConsentStatus;
  emailVerified: boolean;
  mustChangePassword: boolean;
  privacy: { profileVisibility: ProfileVisibility; marketingOptIn: boolean };
  dateOfBirth: string | null;
  createdAt: Date;
}

const normaliseEmail = (email: string) => email.trim().toLowerCase();
const isUniqueViolation = (e: unknown, constraint?: string) =>
  (e as { code?: string }).code === '23505' && (!constraint || (e as { constraint?: string }).constraint === constraint);

@Injectable()
export class AccountsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly passwords: PasswordService,
    private readonly tokens: SingleUseTokens,
    private readonly notifications: NotificationsService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  today(): string {
    return londonDate(this.clock.now());
  }

  view(user: User): AccountView {
    const today = this.today();
    return {
      id: user.id,
      username: user.username,
      email: user.email,
      firstName: user.firstName,
      lastName: user.lastName,
      displayName: displayName(user.firstName, user.lastName),
      roles: user.roles,
      ageBand: ageBand(user.dateOfBirth, today),
      region: user.region,
      consentStatus: effectiveConsent(user.consentStatus, user.dateOfBirth, today),
      emailVerified: Boolean(user.emailVerifiedAt),
      mustChangePassword: user.mustChangePassword,
      privacy: { profileVisibility: user.profileVisibility, marketingOptIn: user.marketingOptIn },
      dateOfBirth: user.dateOfBirth,
      createdAt: user.createdAt,
    };
  }

  /** Self-registration of an entrant or a teacher (SPEC §2.1). */
  async register(input: RegisterInput): Promise<User> {
    const today = this.today();
    const errors: FieldError[] = [];
    const email = input.email ? normaliseEmail(input.email) : undefined;
    const parentEmail = input.parentEmail ? normaliseEmail(input.parentEmail) : undefined;
    let age: number | undefined;
    if (!isCalendarDate(input.dateOfBirth) || input.dateOfBirth > today)
      errors.push({ field: 'dateOfBirth', message: 'dateOfBirth must be a past date written YYYY-MM-DD' });
    else age = ageOn(input.dateOfBirth, today);

    if (age !== undefined) {
      if (input.accountType === 'entrant' && (age < ENTRANT_MIN_AGE || age > ENTRANT_MAX_AGE))
        errors.push({ field: 'dateOfBirth', message: `entrants must be ${ENTRANT_MIN_AGE} to ${ENTRANT_MAX_AGE} years old` });
      if (input.accountType === 'teacher' && age < ADULT_AGE)
        errors.push({ field: 'dateOfBirth', message: `teachers must be at least ${ADULT_AGE} years old` });
    }
    const underThirteen = input.accountType === 'entrant' && age !== undefined && age < CONSENT_AGE;
    if (!email && !underThirteen) errors.push({ field: 'email', message: 'email is required' });
    if (underThirteen && !parentEmail)
      errors.push({ field: 'parentEmail', message: 'a parent or guardian email is required under 13' });
    if (parentEmail && email && parentEmail === email)
      errors.push({ field: 'parentEmail', message: "parentEmail must be the parent's own address" });
    if (!REGIONS.includes(input.region)) errors.push({ field: 'region', message: 'region must be a UK ITL1 region' });
    errors.push(...this.passwords.check(input.password, 'password', [input.firstName, input.lastName, email?.split('@')[0]]));
    if (errors.length) throw IdentityError.invalidFields(errors);
    if (email) await this.assertEmailFree(email);

    const passwordHash = await this.passwords.hash(input.password);
    return this.dataSource.transaction(async (manager) => {
      const user = await this.insertUser(manager, {
        email: email ?? null,
        passwordHash,
        firstName: input.firstName.trim(),
        lastName: input.lastName.trim(),
        dateOfBirth: input.dateOfBirth,
        region: input.region,
        roles: [input.accountType],
        origin: 'self',
        consentStatus: underThirteen ? 'pending' : 'not_required',
        // Only a child's own parent address is kept; adults and teens need none.
        parentEmail: underThirteen ? parentEmail! : null,
      });
      if (email) await this.sendVerification(manager, user);
      await this.audit.record({ action: 'user.registered', actorId: user.id, subjectType: 'user', subjectId: user.id, data: { accountType: input.accountType } }, manager);
      return user;
    });
  }

  /** Inserts a user with a fresh readable username (retrying on the rare clash). */
  async insertUser(manager: EntityManager, values: Partial<User> & Pick<User, 'firstName' | 'lastName' | 'roles'>): Promise<User> {
    const stem = usernameStem(values.firstName, values.lastName);
    for (let attempt = 0; attempt < 5; attempt++) {
      const candidates = usernameCandidates(stem);
      const taken = new Set(
        (await manager.query(`SELECT username FROM users WHERE username = ANY($1)`, [candidates])).map((r: { username: string }) => r.username),
      );
      const username = candidates.find((c) => !taken.has(c));
      if (!username) continue;
      try {
        await manager.query('SAVEPOINT insert_user');
        const user = manager.getRepository(User).create({ ...values, username });
        const saved = await manager.getRepository(User).save(user);
        await manager.query('RELEASE SAVEPOINT insert_user');
        return saved;
      } catch (e) {
        await manager.query('ROLLBACK TO SAVEPOINT insert_user');
        if (isUniqueViolation(e, 'users_email_key')) throw emailTaken();
        if (!isUniqueViolation(e, 'users_username_key')) throw e;
      }
    }
    throw new Error('could not allocate a username');
  }

  async sendVerification(manager: EntityManager, user: User): Promise<void> {
    if (!user.email) return;
    await this.tokens.revokeFor(manager, VERIFY_EMAIL, user.id);
    const { token } = await this.tokens.issue(manager, VERIFY_EMAIL, {
      subjectId: user.id,
      ttlMs: VERIFY_EMAIL_TTL_MS,
      data: { email: user.email },
    });
    await this.notifications.notify(manager, {
      template: 'verify-email',
      userId: user.id,
      email: user.email,
      token,
      data: { firstName: user.firstName },
    });
  }

  async verifyEmail(token: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const row = await this.tokens.consume(manager, VERIFY_EMAIL, token);
      const user = await manager.getRepository(User).findOneBy({ id: row.subjectId! });
      if (!user || user.erasedAt || user.email !== row.data.email)
        throw new IdentityError('gone', 'TOKEN_EXPIRED', 'This link is for an address the account no longer uses.');
      await manager.getRepository(User).update({ id: user.id }, { emailVerifiedAt: this.clock.now() });
      await this.audit.record({ action: 'user.email_verified', actorId: user.id, subjectType: 'user', subjectId: user.id }, manager);
    });
  }

  async get(id: string): Promise<User> {
    const user = await this.dataSource.getRepository(User).findOneBy({ id });
    if (!user || user.erasedAt) throw new IdentityError('not_found', 'USER_NOT_FOUND', 'No such user.');
    return user;
  }

  /** An active account by email or username (sign-in, password reset). */
  async findByLogin(login: string): Promise<User | null> {
    const key = login.trim().toLowerCase();
    if (!key) return null;
    return this.dataSource
      .getRepository(User)
      .createQueryBuilder('u')
      .where('(u.email = :key OR u.username = :key) AND u.erasedAt IS NULL', { key })
      .getOne();
  }

  /** PATCH /me: names, region, privacy and email only (SPEC §2.1). */
  async updateProfile(userId: string, patch: ProfilePatch): Promise<User> {
    const user = await this.get(userId);
    const errors: FieldError[] = [];
    const needsRegion = user.roles.includes('entrant') || user.roles.includes('teacher');
    if (patch.region === null && needsRegion) errors.push({ field: 'region', message: 'region is required for entrants and teachers' });
    const email = patch.email !== undefined ? normaliseEmail(patch.email) : undefined;
    if (email !== undefined && !email) errors.push({ field: 'email', message: 'email must not be empty' });
    if (errors.length) throw IdentityError.invalidFields(errors);
    const emailChanged = email !== undefined && email !== user.email;
    if (emailChanged) await this.assertEmailFree(email!);

    return this.dataSource.transaction(async (manager) => {
      const changes: Partial<User> = {};
      if (patch.firstName !== undefined) changes.firstName = patch.firstName.trim();
      if (patch.lastName !== undefined) changes.lastName = patch.lastName.trim();
      if (patch.region !== undefined) changes.region = patch.region;
      if (patch.privacy?.profileVisibility !== undefined) changes.profileVisibility = patch.privacy.profileVisibility;
      if (patch.privacy?.marketingOptIn !== undefined) changes.marketingOptIn = patch.privacy.marketingOptIn;
      if (emailChanged) Object.assign(changes, { email, emailVerifiedAt: null });
      if (Object.keys(changes).length) {
        try {
          await manager.getRepository(User).update({ id: userId }, changes);
        } catch (e) {
          if (isUniqueViolation(e, 'users_email_key')) throw emailTaken();
          throw e;
        }
      }
      const updated = await manager.getRepository(User).findOneByOrFail({ id: userId });
      if (emailChanged) await this.sendVerification(manager, updated);
      if (patch.privacy) {
        await this.audit.record({ action: 'user.privacy_changed', actorId: userId, subjectType: 'user', subjectId: userId, data: { ...patch.privacy } }, manager);
      }
      return updated;
    });
  }

  /** Adds a role to an adult account (judge acceptance, organiser creation). Audited. */
  async grantRole(manager: EntityManager, userId: string, role: Role, actorId: string | null): Promise<void> {
    await manager.query(
      `UPDATE users SET roles = array_append(roles, $2) WHERE id = $1 AND NOT ($2 = ANY(roles))`,
      [userId, role],
    );
    await this.audit.record({ action: 'user.role_granted', actorId, subjectType: 'user', subjectId: userId, data: { role } }, manager);
  }

  /** Creates an organiser account (CLI, or another organiser), or grants the role to an existing adult. */
  async createOrganiser(
    input: { email: string; password?: string; firstName: string; lastName: string },
    actorId: string | null,
  ): Promise<{ user: User; created: boolean }> {
    const email = normaliseEmail(input.email);
    const existing = await this.dataSource.getRepository(User).findOneBy({ email });
    if (existing) {
      if (ageBand(existing.dateOfBirth, this.today()) !== '18+')
        throw new IdentityError('conflict', 'NOT_AN_ADULT', 'Only adults can be organisers.');
      await this.dataSource.transaction((m) => this.grantRole(m, existing.id, 'organiser', actorId));
      return { user: await this.get(existing.id), created: false };
    }
    const errors = this.passwords.check(input.password, 'password', [input.firstName, input.lastName, email.split('@')[0]]);
    if (errors.length) throw IdentityError.invalidFields(errors);
    const passwordHash = await this.passwords.hash(input.password!);
    const user = await this.dataSource.transaction(async (manager) => {
      const created = await this.insertUser(manager, {
        email,
        passwordHash,
        firstName: input.firstName.trim(),
        lastName: input.lastName.trim(),
        roles: [],
        origin: 'cli' as AccountOrigin,
        emailVerifiedAt: this.clock.now(),
      });
      await this.grantRole(manager, created.id, 'organiser', actorId);
      return created;
    });
    return { user: await this.get(user.id), created: true };
  }

  private async assertEmailFree(email: string): Promise<void> {
    const taken = await this.dataSource.getRepository(User).exists({ where: { email } });
    if (taken) throw emailTaken();
  }
}

const emailTaken = () =>
  new IdentityError('conflict', 'EMAIL_TAKEN', 'An account with this email address already exists.', {
    errors: [{ field: 'email', message: 'email is already registered' }],
  });

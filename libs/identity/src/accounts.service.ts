import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService, Clock, SingleUseTokens, londonDate, type FieldError } from '@app/platform';
import { NotificationsService } from '@app/notifications';
import { ConsentService } from './consent.service.js';
import { IdentityError, LINK_FOR_OLD_ADDRESS } from './identity.errors.js';
import { OneTimePasswords } from './one-time-passwords.js';
import { PasswordService } from './password.service.js';
import {
  REGIONS,
  ageBand,
  dateOfBirthErrors,
  displayName,
  effectiveConsent,
  nameErrors,
  type AgeBand,
  type ConsentStatus,
  type Region,
  type Role,
} from './people.js';
import { pickUsernames, usernameCandidates, usernameStem } from './usernames.js';
import { User, type AccountOrigin, type ProfileVisibility } from './user.entity.js';

export const VERIFY_EMAIL_TTL_MS = 48 * 3600_000;
export const VERIFY_EMAIL = 'verify_email';
export const RESET_PASSWORD = 'reset_password';

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

/** A pupil on a class roster (SPEC §2.2): an entrant account without email. */
export interface RosterEntrant {
  firstName: string;
  lastName: string;
  /** YYYY-MM-DD. */
  dateOfBirth: string;
  /** Used (and kept) only for an under-13, who is then sent the consent request. */
  parentEmail?: string | null;
}

export interface RosterAccount {
  id: string;
  username: string;
  firstName: string;
  lastName: string;
  /** The one-time password: returned once, never stored in the clear. */
  initialPassword: string;
}

/** Why a roster row cannot become an entrant account, as at `today` (fields as named in RosterEntrant). */
export function rosterEntrantErrors(row: RosterEntrant, today: string): FieldError[] {
  return [
    ...nameErrors(row.firstName, 'firstName'),
    ...nameErrors(row.lastName, 'lastName'),
    ...dateOfBirthErrors(row.dateOfBirth, 'entrant', today),
  ];
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

type NewUser = Partial<User> & Pick<User, 'firstName' | 'lastName' | 'roles'>;

/** Rows per INSERT: well under PostgreSQL's 65,535 bound parameters. */
const INSERT_CHUNK = 1000;
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
    private readonly consent: ConsentService,
    private readonly oneTimePasswords: OneTimePasswords,
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
    const email = input.email ? normaliseEmail(input.email) : undefined;
    const parentEmail = input.parentEmail ? normaliseEmail(input.parentEmail) : undefined;
    const errors: FieldError[] = dateOfBirthErrors(input.dateOfBirth, input.accountType, today);
    const underThirteen = input.accountType === 'entrant' && !errors.length && ageBand(input.dateOfBirth, today) === 'U13';
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
      if (underThirteen) await this.consent.requestFromParent(manager, user, parentEmail!, user.id, { firstRequest: true });
      return user;
    });
  }

  /** Inserts a user with a fresh readable username (retrying on the rare clash). */
  async insertUser(manager: EntityManager, values: NewUser): Promise<User> {
    const [user] = await this.insertUsers(manager, [values]);
    return user;
  }

  /**
   * Inserts users with fresh readable usernames in one statement: the candidates of the whole batch are
   * checked in one query, and a clash with a concurrent insert retries the batch.
   */
  async insertUsers(manager: EntityManager, values: NewUser[]): Promise<User[]> {
    const stems = values.map((v) => usernameStem(v.firstName, v.lastName));
    const repo = manager.getRepository(User);
    for (let attempt = 0; attempt < 5; attempt++) {
      const usernames = await this.allocateUsernames(manager, stems);
      const users = values.map((v, i) => repo.create({ ...v, username: usernames[i] }));
      try {
        await manager.query('SAVEPOINT insert_users');
        // The generated id, defaults and timestamps are read back into `users`.
        for (let i = 0; i < users.length; i += INSERT_CHUNK) await repo.insert(users.slice(i, i + INSERT_CHUNK));
        await manager.query('RELEASE SAVEPOINT insert_users');
        return users;
      } catch (e) {
        await manager.query('ROLLBACK TO SAVEPOINT insert_users');
        if (isUniqueViolation(e, 'users_email_key')) throw emailTaken();
        if (!isUniqueViolation(e, 'users_username_key')) throw e;
      }
    }
    throw new Error('could not allocate usernames');
  }

  /** Free usernames for the stems, distinct from one another: one query per round, rarely more than one. */
  private async allocateUsernames(manager: EntityManager, stems: string[]): Promise<string[]> {
    const chosen: (string | undefined)[] = new Array(stems.length);
    for (let round = 0; round < 5; round++) {
      const open = stems.map((_, i) => i).filter((i) => chosen[i] === undefined);
      if (!open.length) return chosen as string[];
      const lists = open.map((i) => usernameCandidates(stems[i]));
      const rows: { username: string }[] = await manager.query(`SELECT username FROM users WHERE username = ANY($1)`, [lists.flat()]);
      const unavailable = new Set([...rows.map((r) => r.username), ...chosen.filter((c): c is string => c !== undefined)]);
      pickUsernames(lists, unavailable).forEach((name, k) => (chosen[open[k]] = name));
    }
    if (chosen.includes(undefined)) throw new Error('could not allocate a username');
    return chosen as string[];
  }

  /**
   * Entrant accounts for a class roster, in the caller's transaction and in the rows' order (SPEC §2.2):
   * no email, the teacher's region, a one-time password to change at first sign-in, and for an under-13
   * consent `pending` with the request emailed when a parent address is given.
   */
  async createRosterAccounts(
    manager: EntityManager,
    rows: RosterEntrant[],
    by: { region: Region; actorId: string },
  ): Promise<RosterAccount[]> {
    const today = this.today();
    const invalid = rows.flatMap((row, i) => rosterEntrantErrors(row, today).map((e) => ({ ...e, field: `${i + 1}.${e.field}` })));
    if (invalid.length) throw IdentityError.invalidFields(invalid);
    const secrets = await this.oneTimePasswords.issue(rows.length);
    const underThirteen = rows.map((row) => ageBand(row.dateOfBirth, today) === 'U13');
    const users = await this.insertUsers(
      manager,
      rows.map((row, i) => ({
        email: null,
        passwordHash: null,
        oneTimePasswordHash: secrets[i].hash,
        mustChangePassword: true,
        firstName: row.firstName.trim(),
        lastName: row.lastName.trim(),
        dateOfBirth: row.dateOfBirth,
        region: by.region,
        roles: ['entrant'] as Role[],
        origin: 'roster' as AccountOrigin,
        consentStatus: (underThirteen[i] ? 'pending' : 'not_required') as ConsentStatus,
        parentEmail: underThirteen[i] && row.parentEmail ? normaliseEmail(row.parentEmail) : null,
      })),
    );
    await this.audit.recordMany(
      users.map((u) => ({ action: 'user.created_from_roster', actorId: by.actorId, subjectType: 'user', subjectId: u.id })),
      manager,
    );
    await this.consent.requestFromParents(
      manager,
      users.filter((u) => u.parentEmail).map((child) => ({ child, parentEmail: child.parentEmail! })),
      by.actorId,
      { firstRequest: true },
    );
    return users.map((u, i) => ({ id: u.id, username: u.username, firstName: u.firstName, lastName: u.lastName, initialPassword: secrets[i].password }));
  }

  /**
   * Corrects an entrant's date of birth (a verified teacher of their class or an organiser, checked by
   * the caller), audited with the age bands only. Someone found to be under 13 needs consent again, unless
   * a decision on it was already recorded (a parent's refusal stands). Someone found to be under 18 loses
   * every adult role (SPEC §1: a person under 18 holds only `entrant`), each removal audited. Roles are
   * read from the database on every request, so judge and organiser routes answer 403 at once (no session
   * needs ending). Their judge assignments are left as they are: scores already given stand, open ones can
   * no longer be scored (the tally flags those ideas `too_few_scores`), and later rounds leave them out.
   */
  async correctDateOfBirth(userId: string, dateOfBirth: string, actorId: string): Promise<User> {
    const today = this.today();
    const errors = dateOfBirthErrors(dateOfBirth, 'entrant', today);
    if (errors.length) throw IdentityError.invalidFields(errors);
    return this.dataSource.transaction(async (manager) => {
      const user = await manager.getRepository(User).findOne({ where: { id: userId }, lock: { mode: 'pessimistic_write' } });
      if (!user || user.erasedAt || !user.roles.includes('entrant')) throw new IdentityError('not_found', 'USER_NOT_FOUND', 'No such user.');
      const from = ageBand(user.dateOfBirth, today);
      const to = ageBand(dateOfBirth, today);
      const decided = user.consentStatus === 'granted' || user.consentStatus === 'refused';
      const needsConsent = to === 'U13' && from !== 'U13' && !decided;
      const removedRoles = to === '18+' ? [] : user.roles.filter((role) => role !== 'entrant');
      const changes: Partial<User> = { dateOfBirth };
      if (needsConsent) Object.assign(changes, { consentStatus: 'pending', consentMethod: null, consentActorId: null, consentParentName: null, consentAt: null });
      if (removedRoles.length) changes.roles = ['entrant'];
      await manager.getRepository(User).update({ id: userId }, changes);
      await this.audit.recordMany(
        [
          { action: 'user.date_of_birth_corrected', actorId, subjectType: 'user', subjectId: userId, data: { fromAgeBand: from, toAgeBand: to } },
          ...removedRoles.map((role) => ({ action: 'user.role_removed', actorId, subjectType: 'user', subjectId: userId, data: { role, reason: 'under_18' } })),
        ],
        manager,
      );
      if (needsConsent && user.parentEmail) await this.consent.requestFromParent(manager, user, user.parentEmail, actorId);
      return manager.getRepository(User).findOneByOrFail({ id: userId });
    });
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
      if (!user || user.erasedAt || user.email !== row.data.email) throw LINK_FOR_OLD_ADDRESS();
      await manager.getRepository(User).update({ id: user.id }, { emailVerifiedAt: this.clock.now() });
      await this.audit.record({ action: 'user.email_verified', actorId: user.id, subjectType: 'user', subjectId: user.id }, manager);
    });
  }

  /** The views of the active accounts among `ids` (erased ones are left out), in no particular order. */
  async views(ids: string[], manager: EntityManager = this.dataSource.manager): Promise<AccountView[]> {
    if (!ids.length) return [];
    const users = await manager
      .getRepository(User)
      .createQueryBuilder('u')
      .where('u.id = ANY(:ids) AND u.erasedAt IS NULL', { ids })
      .getMany();
    return users.map((u) => this.view(u));
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
      // Reset links mailed to the old address die with it. Spent before the user row changes (resetPassword's lock
      // order: token, then user), so a reset racing this change either finishes first or finds its link spent.
      if (emailChanged) await this.tokens.revokeFor(manager, RESET_PASSWORD, userId);
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

  /**
   * Accepting an emailed invitation to an adult role (judges, SPEC §2.4), in the caller's transaction
   * (which spends the invitation's token). The invitation proves the email address, and the organiser
   * who sent it attests adulthood, so a new account has no date of birth. An existing account gains
   * the role only when it is an adult's (a child's account can never hold an adult role) and has
   * verified the address: whoever registered it may not be whoever the invitation reached.
   * `password` is for a new account only; with an existing account the invitee sends none.
   */
  async acceptRoleInvitation(
    manager: EntityManager,
    role: 'judge',
    input: { email: string; firstName: string; lastName: string; password?: string },
  ): Promise<{ userId: string; created: boolean }> {
    const email = normaliseEmail(input.email);
    const existing = await manager.getRepository(User).findOne({ where: { email }, lock: { mode: 'pessimistic_write' } });
    if (existing && !existing.erasedAt) {
      if (input.password !== undefined)
        throw IdentityError.invalidFields([{ field: 'password', message: 'this email already has an account: accept without a password' }]);
      if (ageBand(existing.dateOfBirth, this.today()) !== '18+')
        throw new IdentityError('forbidden', 'NOT_AN_ADULT', `Only adults can be given the role ${role}.`);
      if (!existing.emailVerifiedAt) throw emailNotVerified(role);
      if (!existing.roles.includes(role)) await this.grantRole(manager, existing.id, role, existing.id);
      return { userId: existing.id, created: false };
    }
    if (input.password === undefined) throw IdentityError.invalidFields([{ field: 'password', message: 'password is required for a new account' }]);
    const errors = this.passwords.check(input.password, 'password', [input.firstName, input.lastName, email.split('@')[0]]);
    if (errors.length) throw IdentityError.invalidFields(errors);
    const user = await this.insertUser(manager, {
      email,
      passwordHash: await this.passwords.hash(input.password),
      firstName: input.firstName.trim(),
      lastName: input.lastName.trim(),
      roles: [],
      origin: 'invitation' as AccountOrigin,
      emailVerifiedAt: this.clock.now(),
    });
    await this.grantRole(manager, user.id, role, user.id);
    return { userId: user.id, created: true };
  }

  /** Creates an organiser account (CLI, or another organiser), or grants the role to an existing adult's account with a verified email. */
  async createOrganiser(
    input: { email: string; password?: string; firstName: string; lastName: string },
    actorId: string | null,
  ): Promise<{ user: User; created: boolean }> {
    const email = normaliseEmail(input.email);
    const existing = await this.dataSource.getRepository(User).findOneBy({ email });
    if (existing) {
      if (ageBand(existing.dateOfBirth, this.today()) !== '18+')
        throw new IdentityError('conflict', 'NOT_AN_ADULT', 'Only adults can be organisers.');
      if (!existing.emailVerifiedAt) throw emailNotVerified('organiser');
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

/**
 * Anyone can register an account with an address they do not hold, so an existing account gains an
 * adult role only once its email is verified (found by email, it has one: the roster rule of SPEC
 * §2.3 is for accounts without). A password reset through the emailed link verifies it too.
 */
const emailNotVerified = (role: Role) =>
  new IdentityError(
    'conflict',
    'EMAIL_NOT_VERIFIED',
    `The account with this email address has not verified it, so it cannot be given the role ${role} yet. Whoever holds the address must ` +
      "first verify it from that account, or reset the account's password (the emailed link proves the address is theirs); then try again.",
  );

const emailTaken = () =>
  new IdentityError('conflict', 'EMAIL_TAKEN', 'An account with this email address already exists.', {
    errors: [{ field: 'email', message: 'email is already registered' }],
  });

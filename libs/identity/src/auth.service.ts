import { Injectable, Logger } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, IsNull, type EntityManager } from 'typeorm';
import {
  AppConfig,
  AttemptCounter,
  AuditService,
  Clock,
  SecretsService,
  SingleUseTokens,
  randomToken,
  sha256Hex,
} from '@app/platform';
import { NotificationsService } from '@app/notifications';
import { AccountsService, RESET_PASSWORD } from './accounts.service.js';
import { IdentityError, INVALID_CREDENTIALS, LINK_FOR_OLD_ADDRESS } from './identity.errors.js';
import { OneTimePasswords } from './one-time-passwords.js';
import { PasswordService } from './password.service.js';
import type { Role } from './people.js';
import { RefreshToken, Session } from './session.entity.js';
import { User } from './user.entity.js';

export const ACCESS_TOKEN_TTL_S = 15 * 60;
const REFRESH_TOKEN_TTL_MS = 30 * 24 * 3600_000;
const SESSION_MAX_MS = 90 * 24 * 3600_000;
const FAILURE_WINDOW_MS = 15 * 60_000;
const MAX_FAILURES_PER_LOGIN = 5;
const MAX_FAILURES_PER_IP = 100;
const RESET_TTL_MS = 3600_000;
const RESETS_PER_HOUR = 3;
const OPERATOR_TOKEN_TTL_S = 3600;
/** Activity restarts the 3-year retention clock and cancels any warning stage. */
const MARK_ACTIVE = `UPDATE users SET last_active_at = $2, retention_stage = 0, retention_warned_at = NULL WHERE id = $1`;
const OPERATOR_AUDIENCE = 'young-ideas:operator';

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
  mustChangePassword: boolean;
}

/** Who is calling, as every authenticated request sees it (checked against the session each time). */
export interface Principal {
  userId: string;
  sessionId: string;
  roles: Role[];
  mustChangePassword: boolean;
}

export interface AccessClaims {
  sub: string;
  sid: string;
  iat: number;
  exp: number;
}

@Injectable()
export class AuthService {
  private readonly logger = new Logger(AuthService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly accounts: AccountsService,
    private readonly passwords: PasswordService,
    private readonly jwt: JwtService,
    private readonly secrets: SecretsService,
    private readonly config: AppConfig,
    private readonly attempts: AttemptCounter,
    private readonly tokens: SingleUseTokens,
    private readonly notifications: NotificationsService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly oneTimePasswords: OneTimePasswords,
  ) {}

  jwtSecret(): Promise<string> {
    return this.secrets.master();
  }

  /**
   * Checks a login and password. Every failure answers the same 401 after the same work (an unknown
   * login verifies a dummy hash); 5 failures in 15 minutes for an account (whichever of its logins was
   * typed; an unknown login counts alone), or 100 from one address, → 429. Each attempt takes its place
   * in both counts before the password is checked, so parallel guesses cannot overrun them.
   */
  async signIn(login: string, password: string, ip: string): Promise<User> {
    const user = await this.accounts.findByLogin(login);
    const accountKey = user ? failedSignInsKey(user) : `login:${sha256Hex(login.trim().toLowerCase())}`;
    const fromIp = await this.attempts.reserve(`login-ip:${ip}`, FAILURE_WINDOW_MS, MAX_FAILURES_PER_IP);
    if (!fromIp.granted) throw tooManyAttempts(fromIp.retryAfterSeconds);
    const forAccount = await this.attempts.reserve(accountKey, FAILURE_WINDOW_MS, MAX_FAILURES_PER_LOGIN);
    if (!forAccount.granted) {
      await fromIp.release();
      throw tooManyAttempts(forAccount.retryAfterSeconds);
    }
    const ok = await this.checkPassword(user, password);
    if (!user || !ok) {
      await this.audit.record({ action: 'auth.login_failed', subjectType: 'user', subjectId: user?.id ?? null });
      throw INVALID_CREDENTIALS();
    }
    await Promise.all([this.attempts.clear(accountKey), fromIp.release()]);
    return user;
  }

  /** Clears the failed sign-in counter of an account (a teacher unlocking a student). */
  async unlock(user: Pick<User, 'id'>): Promise<void> {
    await this.attempts.clear(failedSignInsKey(user));
  }

  /**
   * A teacher gives a roster pupil a new one-time password (SPEC §2.2): sessions end, the lockout clears
   * and the pupil must choose a password at the next sign-in. Accounts with an email reset their own.
   */
  async issueOneTimePassword(userId: string, actorId: string): Promise<string> {
    const user = assertTeacherManaged(await this.accounts.get(userId));
    const [{ password, hash }] = await this.oneTimePasswords.issue();
    await this.dataSource.transaction(async (manager) => {
      await manager.getRepository(User).update({ id: user.id }, { passwordHash: null, oneTimePasswordHash: hash, mustChangePassword: true });
      await this.revokeSessions(manager, user.id, 'password_reset_by_teacher');
      await this.audit.record({ action: 'auth.one_time_password_issued', actorId, subjectType: 'user', subjectId: user.id }, manager);
    });
    await this.unlock(user);
    return password;
  }

  /** A teacher unlocks a roster pupil locked out by failed sign-ins. */
  async unlockRosterAccount(userId: string, actorId: string): Promise<void> {
    const user = assertTeacherManaged(await this.accounts.get(userId));
    await this.unlock(user);
    await this.audit.record({ action: 'auth.unlocked', actorId, subjectType: 'user', subjectId: user.id });
  }

  async startSession(user: User): Promise<TokenPair> {
    const now = this.clock.now();
    const pair = await this.dataSource.transaction(async (manager) => {
      const session = await manager.getRepository(Session).save(
        manager.getRepository(Session).create({ userId: user.id, expiresAt: new Date(now.getTime() + SESSION_MAX_MS) }),
      );
      await manager.query(MARK_ACTIVE, [user.id, now]);
      await this.audit.record({ action: 'auth.login', actorId: user.id, subjectType: 'session', subjectId: session.id }, manager);
      return this.issuePair(manager, session, user.mustChangePassword);
    });
    return pair;
  }

  /** Rotates a refresh token. A spent token presented again revokes its whole session (family). */
  async refresh(refreshToken: string): Promise<TokenPair> {
    const hash = sha256Hex(refreshToken);
    const now = this.clock.now();
    const outcome = await this.dataSource.transaction(async (manager) => {
      const [spent] = await manager.query(
        `UPDATE refresh_token SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2 RETURNING session_id`,
        [hash, now],
      ).then((r: unknown[]) => (Array.isArray(r[0]) ? (r[0] as { session_id: string }[]) : (r as { session_id: string }[])));
      if (!spent) return { reuse: true as const };
      const session = await manager.getRepository(Session).findOneBy({ id: spent.session_id });
      const user = session && (await manager.getRepository(User).findOneBy({ id: session.userId }));
      if (!session || session.revokedAt || session.expiresAt <= now || !user || user.erasedAt) return { reuse: false as const };
      return { pair: await this.issuePair(manager, session, user.mustChangePassword) };
    });
    if ('pair' in outcome && outcome.pair) return outcome.pair;
    if (outcome.reuse) await this.revokeFamilyOf(hash);
    throw new IdentityError('unauthenticated', 'INVALID_REFRESH_TOKEN', 'The refresh token is not valid.');
  }

  /** The caller of a request, if the session named by its access token is still live. */
  async authenticate(claims: AccessClaims): Promise<Principal | null> {
    const now = this.clock.now();
    if (!claims?.sub || !claims.sid || typeof claims.exp !== 'number' || claims.exp * 1000 <= now.getTime()) return null;
    const [row] = await this.dataSource.query(
      `SELECT u.roles, u.must_change_password, u.last_active_at
         FROM session s JOIN users u ON u.id = s.user_id
        WHERE s.id = $1 AND s.user_id = $2 AND s.revoked_at IS NULL AND s.expires_at > $3 AND u.erased_at IS NULL`,
      [claims.sid, claims.sub, now],
    );
    if (!row) return null;
    if (now.getTime() - new Date(row.last_active_at).getTime() > 3600_000) {
      await this.dataSource.query(MARK_ACTIVE, [claims.sub, now]);
    }
    return { userId: claims.sub, sessionId: claims.sid, roles: row.roles, mustChangePassword: row.must_change_password };
  }

  /**
   * A short-lived token for the operator surfaces outside the API (Bull Board), carried in an
   * HttpOnly cookie; it names the session, so logging out ends it too.
   */
  async issueOperatorToken(principal: Principal): Promise<{ token: string; maxAgeSeconds: number }> {
    const iat = Math.floor(this.clock.now().getTime() / 1000);
    const claims = { sub: principal.userId, sid: principal.sessionId, iat, exp: iat + OPERATOR_TOKEN_TTL_S, aud: OPERATOR_AUDIENCE };
    return { token: await this.jwt.signAsync(claims, { secret: await this.jwtSecret(), algorithm: 'HS256' }), maxAgeSeconds: OPERATOR_TOKEN_TTL_S };
  }

  /** The organiser an operator token belongs to, while its session is live. */
  async verifyOperatorToken(token: string): Promise<Principal | null> {
    try {
      const claims = await this.jwt.verifyAsync<AccessClaims & { aud: string }>(token, {
        secret: await this.jwtSecret(),
        algorithms: ['HS256'],
        audience: OPERATOR_AUDIENCE,
        ignoreExpiration: true, // checked against the Clock by authenticate()
      });
      const principal = await this.authenticate(claims);
      return principal?.roles.includes('organiser') ? principal : null;
    } catch {
      return null;
    }
  }

  async logout(principal: Principal): Promise<void> {
    await this.revokeSessions(this.dataSource.manager, principal.userId, 'logout', { only: principal.sessionId });
    await this.audit.record({ action: 'auth.logout', actorId: principal.userId, subjectType: 'session', subjectId: principal.sessionId });
  }

  /** Always succeeds from the caller's point of view (no account enumeration). */
  async forgotPassword(login: string): Promise<void> {
    const user = await this.accounts.findByLogin(login);
    const to = user?.email ?? user?.parentEmail;
    if (!user || !to) return;
    const { count } = await this.attempts.record(`reset:${user.id}`, 3600_000);
    if (count > RESETS_PER_HOUR) return;
    await this.dataSource.transaction(async (manager) => {
      await this.tokens.revokeFor(manager, RESET_PASSWORD, user.id);
      const { token } = await this.tokens.issue(manager, RESET_PASSWORD, { subjectId: user.id, ttlMs: RESET_TTL_MS, data: user.email ? { email: user.email } : {} });
      await this.notifications.notify(manager, {
        template: 'password-reset',
        userId: user.id,
        email: to,
        token,
        data: { firstName: user.firstName, forChild: !user.email },
      });
      await this.audit.record({ action: 'auth.password_reset_requested', subjectType: 'user', subjectId: user.id }, manager);
    });
  }

  async resetPassword(token: string, password: string): Promise<void> {
    const live = await this.tokens.peek(RESET_PASSWORD, token);
    const user = await this.accounts.get(live.subjectId!);
    this.assertAcceptable(password, 'password', user);
    const passwordHash = await this.passwords.hash(password);
    await this.dataSource.transaction(async (manager) => {
      const row = await this.tokens.consume(manager, RESET_PASSWORD, token);
      const { email } = await manager.getRepository(User).findOneByOrFail({ id: user.id });
      if (email !== (row.data.email ?? null)) throw LINK_FOR_OLD_ADDRESS();
      await manager.getRepository(User).update({ id: user.id }, { passwordHash, oneTimePasswordHash: null, mustChangePassword: false });
      await this.revokeSessions(manager, user.id, 'password_reset');
      await this.audit.record({ action: 'auth.password_reset', actorId: user.id, subjectType: 'user', subjectId: user.id }, manager);
      // The link went to the account's address, which following it proves, as a verification link would: only while the account still uses it.
      if (row.data.email) {
        const { affected } = await manager
          .getRepository(User)
          .update({ id: user.id, email: row.data.email, emailVerifiedAt: IsNull() }, { emailVerifiedAt: this.clock.now() });
        if (affected) await this.audit.record({ action: 'user.email_verified', actorId: user.id, subjectType: 'user', subjectId: user.id }, manager);
      }
      await this.notifyPasswordChanged(manager, user);
    });
    await this.unlock(user);
  }

  /** Changes the caller's password; every other session of the account ends. */
  async changePassword(principal: Principal, currentPassword: string, newPassword: string): Promise<void> {
    const user = await this.accounts.get(principal.userId);
    if (!(await this.checkPassword(user, currentPassword)))
      throw IdentityError.invalidFields([{ field: 'currentPassword', message: 'currentPassword is not correct' }]);
    this.assertAcceptable(newPassword, 'newPassword', user);
    if (currentPassword === newPassword)
      throw IdentityError.invalidFields([{ field: 'newPassword', message: 'newPassword must differ from the current one' }]);
    const passwordHash = await this.passwords.hash(newPassword);
    await this.dataSource.transaction(async (manager) => {
      // An outstanding reset link must not undo the change (spent first: resetPassword's lock order, token then user).
      await this.tokens.revokeFor(manager, RESET_PASSWORD, user.id);
      // The one-time password's keyed hash goes: from now on only the argon2id hash stands.
      await manager.getRepository(User).update({ id: user.id }, { passwordHash, oneTimePasswordHash: null, mustChangePassword: false });
      await this.revokeSessions(manager, user.id, 'password_changed', { except: principal.sessionId });
      await this.audit.record({ action: 'auth.password_changed', actorId: user.id, subjectType: 'user', subjectId: user.id }, manager);
      await this.notifyPasswordChanged(manager, user);
    });
  }

  async revokeSessions(
    manager: EntityManager,
    userId: string,
    reason: string,
    scope: { only?: string; except?: string } = {},
  ): Promise<void> {
    await manager.query(
      `UPDATE session SET revoked_at = $2, revoked_reason = $3
        WHERE user_id = $1 AND revoked_at IS NULL
          AND ($4::uuid IS NULL OR id = $4) AND ($5::uuid IS NULL OR id <> $5)`,
      [userId, this.clock.now(), reason, scope.only ?? null, scope.except ?? null],
    );
  }

  /**
   * The account's password, or its one-time password while it has one. Either way one argon2id
   * verification runs (a dummy one beside the keyed hash), so timing tells nothing about the account.
   */
  private async checkPassword(user: User | null, password: string): Promise<boolean> {
    if (!user?.oneTimePasswordHash) return this.passwords.verify(user?.passwordHash, password);
    const [matches] = await Promise.all([this.oneTimePasswords.matches(user.oneTimePasswordHash, password), this.passwords.verify(null, password)]);
    return matches;
  }

  private assertAcceptable(password: string, field: string, user: User): void {
    const errors = this.passwords.check(password, field, [user.firstName, user.lastName, user.username, user.email?.split('@')[0]]);
    if (errors.length) throw IdentityError.invalidFields(errors);
  }

  private async notifyPasswordChanged(manager: EntityManager, user: User): Promise<void> {
    await this.notifications.notify(manager, {
      template: 'password-changed',
      userId: user.id,
      email: user.email,
      inApp: true,
      data: { firstName: user.firstName },
    });
  }

  private async revokeFamilyOf(tokenHash: string): Promise<void> {
    const [row] = await this.dataSource.query(
      `SELECT s.id, s.user_id FROM refresh_token t JOIN session s ON s.id = t.session_id WHERE t.token_hash = $1`,
      [tokenHash],
    );
    if (!row) return;
    await this.revokeSessions(this.dataSource.manager, row.user_id, 'refresh_token_reuse', { only: row.id });
    await this.audit.record({ action: 'auth.refresh_reuse', subjectType: 'session', subjectId: row.id, data: { userId: row.user_id } });
    this.logger.warn({ sessionId: row.id }, 'refresh token reused: session revoked');
  }

  private async issuePair(manager: EntityManager, session: Session, mustChangePassword: boolean): Promise<TokenPair> {
    const now = this.clock.now();
    const refreshToken = randomToken();
    await manager.getRepository(RefreshToken).insert({
      sessionId: session.id,
      tokenHash: sha256Hex(refreshToken),
      expiresAt: new Date(Math.min(now.getTime() + REFRESH_TOKEN_TTL_MS, session.expiresAt.getTime())),
    });
    const iat = Math.floor(now.getTime() / 1000);
    const claims: AccessClaims = { sub: session.userId, sid: session.id, iat, exp: iat + ACCESS_TOKEN_TTL_S };
    const accessToken = await this.jwt.signAsync(claims, { secret: await this.jwtSecret(), algorithm: 'HS256' });
    return { accessToken, refreshToken, tokenType: 'Bearer', expiresIn: ACCESS_TOKEN_TTL_S, mustChangePassword };
  }
}

/** Only accounts a teacher created from a roster, and without an email of their own, are the teacher's to reset. */
function assertTeacherManaged(user: User): User {
  if (user.origin !== 'roster' || user.email)
    throw new IdentityError('forbidden', 'NOT_A_ROSTER_ACCOUNT', 'Only roster accounts without an email address can be reset or unlocked by a teacher.');
  return user;
}

const failedSignInsKey = (user: Pick<User, 'id'>) => `login-account:${user.id}`;

const tooManyAttempts = (retryAfterSeconds: number) =>
  new IdentityError('rate_limited', 'TOO_MANY_ATTEMPTS', 'Too many failed sign-in attempts. Try again later.', {
    retryAfterSeconds,
  });

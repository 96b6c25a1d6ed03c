import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { AttemptCounter, AuditService, Clock, SingleUseTokens, londonDate, secondsUntilLondonMidnight } from '@app/platform';
import { NotificationsService } from '@app/notifications';
import { IdentityError } from './identity.errors.js';
import { ageBand, displayName, effectiveConsent, type AgeBand, type ConsentMethod } from './people.js';
import { User } from './user.entity.js';

export const PARENTAL_CONSENT = 'parental_consent';
export const CONSENT_LINK_TTL_MS = 7 * 24 * 3600_000;
/** Resends a child may ask for in one Europe/London calendar day (SPEC §2.1). */
export const CONSENT_RESENDS_PER_DAY = 3;
export const SCHOOL_ATTESTATION = 'school_holds_parental_consent';

/** What the platform processes about a child and why: shown to the parent before they decide. */
export const CHILD_DATA_PROCESSING: readonly { data: string; purpose: string }[] = [
  {
    data: 'First name and surname',
    purpose: 'So their teacher and the organisers know who entered. Others only ever see the first name and the initial of the surname.',
  },
  {
    data: 'Date of birth',
    purpose: 'To apply the rules for their age, such as asking you for consent. Others only see an age band (under 13, 13–17, 18+).',
  },
  { data: 'Region of the UK', purpose: 'For anonymous participation statistics. We hold nothing more precise about where they live.' },
  {
    data: 'Their ideas, team and badges',
    purpose: 'To take part in the competition, be judged and earn skill badges. Winners and finalists are published by display name only.',
  },
  { data: 'Your email address and name', purpose: 'To ask for your consent, record your decision and reach you about the account.' },
];

export interface ConsentPreview {
  displayName: string;
  ageBand: AgeBand;
  expiresAt: Date;
  processing: { data: string; purpose: string }[];
}

type ConsentChild = Pick<User, 'id' | 'firstName' | 'lastName'>;

const DAY_MS = 24 * 3600_000;
const normaliseEmail = (email: string) => email.trim().toLowerCase();

/**
 * Parental consent for under-13s (SPEC §2.1): single-use emailed links to the parent, at most
 * CONSENT_RESENDS_PER_DAY resends a day, or a verified teacher's attestation. Every event is audited with
 * its method and actor; the decision's method, actor and time are kept on the account.
 */
@Injectable()
export class ConsentService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tokens: SingleUseTokens,
    private readonly notifications: NotificationsService,
    private readonly audit: AuditService,
    private readonly attempts: AttemptCounter,
    private readonly clock: Clock,
  ) {}

  /**
   * Emails the parent a consent link in the caller's transaction. An earlier link of the child stops
   * working, unless `firstRequest` says there can be none (a brand-new account).
   */
  async requestFromParent(
    manager: EntityManager,
    child: ConsentChild,
    parentEmail: string,
    actorId: string | null,
    options: { firstRequest?: boolean } = {},
  ): Promise<void> {
    await this.requestFromParents(manager, [{ child, parentEmail }], actorId, options);
  }

  /** The same for many children at once (a roster import): a handful of statements whatever their number. */
  async requestFromParents(
    manager: EntityManager,
    requests: { child: ConsentChild; parentEmail: string }[],
    actorId: string | null,
    { firstRequest = false } = {},
  ): Promise<void> {
    if (!requests.length) return;
    if (!firstRequest) for (const { child } of requests) await this.tokens.revokeFor(manager, PARENTAL_CONSENT, child.id);
    const issued = await this.tokens.issueMany(
      manager,
      PARENTAL_CONSENT,
      requests.map(({ child, parentEmail }) => ({ subjectId: child.id, ttlMs: CONSENT_LINK_TTL_MS, data: { parentEmail } })),
    );
    // The parent sees the display name only: never the surname (SPEC §2.1).
    await this.notifications.notifyMany(
      manager,
      requests.map(({ child, parentEmail }, i) => ({
        template: 'consent-request' as const,
        userId: child.id, // about the child (erasure finds it); not in the child's inbox
        email: parentEmail,
        token: issued[i].token,
        data: { childName: displayName(child.firstName, child.lastName) },
      })),
    );
    await this.audit.recordMany(
      requests.map(({ child }) => ({
        action: 'consent.requested',
        actorId,
        subjectType: 'user',
        subjectId: child.id,
        data: { method: 'parent_link' satisfies ConsentMethod },
      })),
      manager,
    );
  }

  /**
   * POST /me/consent/resend: a pending (or refused) under-13 asks again. While no parent has answered, the
   * request may go to a corrected address (SPEC §2.1: the first one may have been mistyped); once a parent
   * refused, it goes only to the address on file, so only the parent who refused can change their mind.
   * The child's row stays locked throughout, so concurrent resends (and a parent deciding) take turns:
   * each sees the latest decision and exactly one link stays live.
   */
  async resend(childId: string, correctedParentEmail?: string): Promise<void> {
    const now = this.clock.now();
    const today = londonDate(now);
    await this.dataSource.transaction(async (manager) => {
      const child = await this.lockedChild(manager, childId);
      if (!child) throw new IdentityError('not_found', 'USER_NOT_FOUND', 'No such user.');
      if (ageBand(child.dateOfBirth, today) !== 'U13')
        throw new IdentityError('conflict', 'CONSENT_NOT_REQUIRED', 'Parental consent is only needed under 13.');
      const status = effectiveConsent(child.consentStatus, child.dateOfBirth, today);
      if (status === 'granted') throw new IdentityError('conflict', 'CONSENT_ALREADY_GRANTED', 'Consent has already been given.');
      const parentEmail = correctedParentEmail ? normaliseEmail(correctedParentEmail) : child.parentEmail;
      if (status === 'refused' && parentEmail !== child.parentEmail)
        throw new IdentityError(
          'conflict',
          'CONSENT_REFUSED',
          'A parent refused consent: a new request goes only to the parent address on file, so that only they can change their mind.',
        );
      if (!parentEmail)
        throw IdentityError.invalidFields([{ field: 'parentEmail', message: 'parentEmail is required: no parent address is on file' }]);
      if (child.email && parentEmail === child.email)
        throw IdentityError.invalidFields([{ field: 'parentEmail', message: "parentEmail must be the parent's own address" }]);

      // Recorded first and counted in the same step, so concurrent requests cannot all pass the limit.
      const { count } = await this.attempts.record(`consent-resend:${child.id}:${today}`, 2 * DAY_MS);
      if (count > CONSENT_RESENDS_PER_DAY)
        throw new IdentityError('rate_limited', 'TOO_MANY_CONSENT_REQUESTS', `At most ${CONSENT_RESENDS_PER_DAY} consent requests can be sent a day.`, {
          retryAfterSeconds: secondsUntilLondonMidnight(now),
        });
      if (parentEmail !== child.parentEmail) {
        await manager.getRepository(User).update({ id: child.id }, { parentEmail });
        await this.audit.record({ action: 'consent.parent_email_changed', actorId: child.id, subjectType: 'user', subjectId: child.id }, manager);
      }
      await this.requestFromParent(manager, child, parentEmail, child.id);
    });
  }

  /** GET /consent/:token: what the parent is asked about. Reading changes nothing. */
  async preview(token: string): Promise<ConsentPreview> {
    const live = await this.tokens.peek(PARENTAL_CONSENT, token);
    const child = await this.dataSource.getRepository(User).findOneBy({ id: live.subjectId! });
    if (!child || child.erasedAt) throw linkGone();
    return {
      displayName: displayName(child.firstName, child.lastName),
      ageBand: ageBand(child.dateOfBirth, londonDate(this.clock.now())),
      expiresAt: live.expiresAt,
      processing: CHILD_DATA_PROCESSING.map((p) => ({ ...p })),
    };
  }

  /**
   * POST /consent/:token: the parent grants or refuses, once. A parent's decision stands over an
   * earlier school attestation: it is theirs to give or withdraw.
   */
  async decide(token: string, decision: 'grant' | 'refuse', parentName: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      // The child's row is locked before the token, in the order resend() takes them (no deadlock).
      const child = await this.lockedChild(manager, (await this.tokens.peek(PARENTAL_CONSENT, token, manager)).subjectId!);
      if (!child) throw linkGone();
      const live = await this.tokens.consume(manager, PARENTAL_CONSENT, token);
      const granted = decision === 'grant';
      await this.record(manager, child, granted, { method: 'parent_link', actorId: null, parentName: parentName.trim() });
      await this.notifications.notify(manager, {
        template: 'consent-recorded',
        userId: child.id,
        email: String(live.data.parentEmail),
        data: { childName: displayName(child.firstName, child.lastName), granted },
      });
    });
  }

  /**
   * A verified teacher of the child's class attests that the school holds the parent's consent (the
   * caller has checked who the teacher is). A parent's refusal is not overridden.
   */
  async attest(childId: string, teacherId: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const child = await this.lockedChild(manager, childId);
      if (!child) throw new IdentityError('not_found', 'USER_NOT_FOUND', 'No such user.');
      const status = effectiveConsent(child.consentStatus, child.dateOfBirth, londonDate(this.clock.now()));
      if (status === 'granted') return;
      if (status === 'refused')
        throw new IdentityError('conflict', 'CONSENT_REFUSED', 'A parent refused consent through the emailed link; only they can change that.');
      await this.record(manager, child, true, { method: 'school_attestation', actorId: teacherId, parentName: null });
    });
  }

  private async record(
    manager: EntityManager,
    child: User,
    granted: boolean,
    by: { method: ConsentMethod; actorId: string | null; parentName: string | null },
  ): Promise<void> {
    if (ageBand(child.dateOfBirth, londonDate(this.clock.now())) !== 'U13')
      throw new IdentityError('conflict', 'CONSENT_NOT_REQUIRED', 'Parental consent is only needed under 13.');
    const consentStatus = granted ? 'granted' : 'refused';
    await manager.getRepository(User).update(
      { id: child.id },
      { consentStatus, consentMethod: by.method, consentActorId: by.actorId, consentParentName: by.parentName, consentAt: this.clock.now() },
    );
    await this.audit.record(
      {
        action: `consent.${consentStatus}`,
        actorId: by.actorId,
        subjectType: 'user',
        subjectId: child.id,
        data: { method: by.method, actor: by.actorId ? 'teacher' : 'parent', ...(by.actorId ? { attestation: SCHOOL_ATTESTATION } : {}) },
      },
      manager,
    );
    // The child hears of it in their inbox (and by email when they have an address of their own).
    await this.notifications.notify(manager, {
      template: 'consent-outcome',
      userId: child.id,
      email: child.email,
      inApp: true,
      data: { firstName: child.firstName, granted },
    });
  }

  private async lockedChild(manager: EntityManager, id: string): Promise<User | null> {
    const child = await manager.getRepository(User).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
    return child && !child.erasedAt ? child : null;
  }
}

const linkGone = () => new IdentityError('gone', 'TOKEN_EXPIRED', 'This link is no longer valid.');

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService, Clock, SingleUseTokens } from '@app/platform';
import { AccountsService, PeopleDirectory } from '@app/identity';
import { NotificationsService } from '@app/notifications';
import { JudgingError } from '../judging.errors.js';
import { JudgeInvitation } from './judge-invitation.entity.js';

export const JUDGE_INVITATION = 'judge_invitation';
export const JUDGE_INVITATION_TTL_MS = 14 * 24 * 3600_000;

export interface InvitationInput {
  email: string;
  firstName: string;
  lastName: string;
}

export interface InvitationView {
  id: string;
  email: string;
  firstName: string;
  lastName: string;
  createdAt: Date;
  expiresAt: Date;
}

/**
 * Judges join by invitation only (SPEC §1, §2.4): an organiser invites an adult by email; the link opens
 * the /judge-invitation page, which posts the acceptance. A new invitation to the same address
 * replaces the previous link.
 */
@Injectable()
export class JudgeInvitationsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tokens: SingleUseTokens,
    private readonly notifications: NotificationsService,
    private readonly accounts: AccountsService,
    private readonly people: PeopleDirectory,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async invite(actorId: string, input: InvitationInput): Promise<InvitationView> {
    const email = input.email.trim().toLowerCase();
    const existingId = await this.people.findId({ email });
    if (existingId) {
      const who = await this.people.fact(existingId);
      // No invitation email to a child's address: an adult must not open a channel to a child.
      if (who && who.ageBand !== '18+') throw new JudgingError('conflict', 'NOT_AN_ADULT', 'This address belongs to an account that cannot judge.');
      if (who?.roles.includes('judge')) throw new JudgingError('conflict', 'ALREADY_A_JUDGE', 'This person is already a judge.');
    }
    return this.dataSource.transaction(async (m) => {
      const invitation = await m.getRepository(JudgeInvitation).save(
        m.getRepository(JudgeInvitation).create({ email, firstName: input.firstName.trim(), lastName: input.lastName.trim(), invitedBy: actorId }),
      );
      // Earlier links to this address stop working: the newest invitation is the one that counts.
      const earlier: { id: string }[] = await m.query(`SELECT id FROM judge_invitation WHERE email = $1 AND id <> $2 AND accepted_at IS NULL`, [email, invitation.id]);
      for (const e of earlier) await this.tokens.revokeFor(m, JUDGE_INVITATION, e.id);
      const { token } = await this.tokens.issue(m, JUDGE_INVITATION, { subjectId: invitation.id, ttlMs: JUDGE_INVITATION_TTL_MS });
      await this.notifications.notify(m, {
        template: 'judge-invitation',
        email,
        userId: existingId,
        token,
        data: { firstName: invitation.firstName, hasAccount: Boolean(existingId) },
      });
      await this.audit.record({ action: 'judge.invited', actorId, subjectType: 'judge_invitation', subjectId: invitation.id }, m);
      return { ...this.view(invitation), expiresAt: new Date(invitation.createdAt.getTime() + JUDGE_INVITATION_TTL_MS) };
    });
  }

  /** What the page shows before anything changes (mail scanners open links): whom it greets and whether a password is needed. */
  async preview(token: string): Promise<{ firstName: string; hasAccount: boolean }> {
    const row = await this.tokens.peek(JUDGE_INVITATION, token);
    const invitation = await this.dataSource.getRepository(JudgeInvitation).findOneByOrFail({ id: row.subjectId! });
    return { firstName: invitation.firstName, hasAccount: Boolean(await this.people.findId({ email: invitation.email })) };
  }

  /**
   * Accepts: `{password}` creates an adult judge account for the invited address; `{}` gives an
   * existing adult account the role. Spends the token; used or expired → 410.
   */
  async accept(token: string, password?: string): Promise<{ userId: string; created: boolean }> {
    return this.dataSource.transaction(async (m) => {
      const row = await this.tokens.consume(m, JUDGE_INVITATION, token);
      const invitation = await m.getRepository(JudgeInvitation).findOneByOrFail({ id: row.subjectId! });
      const result = await this.accounts.acceptRoleInvitation(m, 'judge', {
        email: invitation.email,
        firstName: invitation.firstName,
        lastName: invitation.lastName,
        password,
      });
      await m.getRepository(JudgeInvitation).update({ id: invitation.id }, { acceptedAt: this.clock.now(), userId: result.userId });
      await this.notifications.claim(m, 'judge-invitation', invitation.email, result.userId);
      await this.audit.record(
        { action: 'judge.invitation_accepted', actorId: result.userId, subjectType: 'judge_invitation', subjectId: invitation.id, data: { newAccount: result.created } },
        m,
      );
      return result;
    });
  }

  private view(i: JudgeInvitation): Omit<InvitationView, 'expiresAt'> {
    return { id: i.id, email: i.email, firstName: i.firstName, lastName: i.lastName, createdAt: i.createdAt };
  }
}

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { Clock, type PersonalDataHolder } from '@app/platform';
import { Session } from './session.entity.js';
import { User } from './user.entity.js';

/** The account itself: profile, consent record, sessions. */
@Injectable()
export class IdentityPersonalData implements PersonalDataHolder {
  readonly section = 'account';

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  async exportFor(userId: string) {
    const u = await this.dataSource.getRepository(User).findOneByOrFail({ id: userId });
    const sessions = await this.dataSource.getRepository(Session).find({ where: { userId }, order: { createdAt: 'ASC' } });
    return {
      id: u.id,
      username: u.username,
      email: u.email,
      emailVerifiedAt: u.emailVerifiedAt,
      firstName: u.firstName,
      lastName: u.lastName,
      dateOfBirth: u.dateOfBirth,
      region: u.region,
      roles: u.roles,
      origin: u.origin,
      privacy: { profileVisibility: u.profileVisibility, marketingOptIn: u.marketingOptIn },
      parentEmail: u.parentEmail,
      consent: { status: u.consentStatus, method: u.consentMethod, actorId: u.consentActorId, parentName: u.consentParentName, at: u.consentAt },
      createdAt: u.createdAt,
      lastActiveAt: u.lastActiveAt,
      sessions: sessions.map((s) => ({ id: s.id, createdAt: s.createdAt, expiresAt: s.expiresAt, revokedAt: s.revokedAt, revokedReason: s.revokedReason })),
    };
  }

  /** Sign-in becomes impossible at once, every session ends, every personal field is wiped. */
  async forget(manager: EntityManager, userId: string): Promise<void> {
    const now = this.clock.now();
    await manager.query(
      `UPDATE users SET email = NULL, username = 'erased-' || replace(id::text, '-', ''), password_hash = NULL,
              one_time_password_hash = NULL, first_name = 'Former', last_name = 'entrant', date_of_birth = NULL,
              parent_email = NULL, consent_parent_name = NULL, email_verified_at = NULL, marketing_opt_in = false,
              profile_visibility = 'private', must_change_password = false, erased_at = $2
        WHERE id = $1`,
      [userId, now],
    );
    await manager.query(`UPDATE session SET revoked_at = coalesce(revoked_at, $2), revoked_reason = coalesce(revoked_reason, 'erased') WHERE user_id = $1`, [userId, now]);
    await manager.query(`DELETE FROM refresh_token WHERE session_id IN (SELECT id FROM session WHERE user_id = $1)`, [userId]);
    await manager.query(`UPDATE single_use_token SET used_at = coalesce(used_at, $2), data = '{}' WHERE subject_id = $1`, [userId, now]);
  }
}

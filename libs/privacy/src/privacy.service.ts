import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService, Clock, PERSONAL_DATA_HOLDERS, type PersonalDataHolder } from '@app/platform';
import { AccountsService, IdentityError, PasswordService } from '@app/identity';

/** Export and erasure of everything the platform holds about a person (UK GDPR Art. 15, 17). */
@Injectable()
export class PrivacyService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(PERSONAL_DATA_HOLDERS) private readonly holders: PersonalDataHolder[],
    private readonly accounts: AccountsService,
    private readonly passwords: PasswordService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async export(userId: string): Promise<Record<string, unknown>> {
    const sections = await Promise.all(this.holders.map(async (h) => [h.section, await h.exportFor(userId)] as const));
    return { exportedAt: this.clock.now(), userId, ...Object.fromEntries(sections) };
  }

  /** DELETE /me: the current password confirms it. */
  async eraseWithPassword(userId: string, password: string): Promise<void> {
    const user = await this.accounts.get(userId);
    if (!(await this.passwords.verify(user.passwordHash, password)))
      throw IdentityError.invalidFields([{ field: 'password', message: 'password is not correct' }]);
    await this.erase(userId, 'request');
  }

  /**
   * Anonymises the account everywhere in one transaction: sign-in impossible at once, sessions revoked,
   * personal fields wiped, public traces shown as "Former entrant", counts of entries, scores and
   * awards kept. The account itself goes last.
   */
  async erase(userId: string, reason: 'request' | 'retention'): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const ordered = [...this.holders].sort((a, b) => Number(a.section === 'account') - Number(b.section === 'account'));
      for (const holder of ordered) await holder.forget(manager, userId);
      await this.audit.record({ action: 'user.erased', actorId: reason === 'request' ? userId : null, subjectType: 'user', subjectId: userId, data: { reason } }, manager);
    });
  }
}

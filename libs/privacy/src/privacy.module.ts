import { Module } from '@nestjs/common';
import { AuditPersonalData, IdempotencyPersonalData, PERSONAL_DATA_HOLDERS } from '@app/platform';
import { IdentityModule, IdentityPersonalData } from '@app/identity';
import { NotificationsModule, NotificationsPersonalData } from '@app/notifications';
import { SchoolsModule, SchoolsPersonalData } from '@app/schools';
import { CompetitionsModule, CompetitionsPersonalData } from '@app/competitions';
import { BadgesModule, BadgesPersonalData } from '@app/badges';
import { JudgingModule, JudgingPersonalData } from '@app/judging';
import { PrivacyService } from './privacy.service.js';
import { RetentionService } from './retention.service.js';

/**
 * Every area that holds personal data lists its holder here, once. Erasure runs them in this order (the
 * account last): badges first, as its lock holds back awards being made meanwhile, whose notifications
 * the notifications holder must then see.
 */
const HOLDERS = [BadgesPersonalData, IdentityPersonalData, NotificationsPersonalData, SchoolsPersonalData, CompetitionsPersonalData, JudgingPersonalData, IdempotencyPersonalData, AuditPersonalData];

@Module({
  imports: [IdentityModule, NotificationsModule, SchoolsModule, CompetitionsModule, BadgesModule, JudgingModule],
  providers: [
    PrivacyService,
    RetentionService,
    { provide: PERSONAL_DATA_HOLDERS, inject: HOLDERS, useFactory: (...holders: unknown[]) => holders },
  ],
  exports: [PrivacyService, RetentionService],
})
export class PrivacyModule {}

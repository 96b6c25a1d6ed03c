import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IdentityModule } from '@app/identity';
import { NotificationsModule } from '@app/notifications';
import { SchoolsModule } from '@app/schools';
import { BadgeAward } from './badge-award.entity.js';
import { BadgeAwards } from './badge-awards.service.js';
import { BadgeCatalogue } from './badge-catalogue.service.js';
import { BadgeIssuer } from './badge-issuer.service.js';
import { BadgePublication } from './badge-publication.service.js';
import { BadgeClass, BadgeEndorsement } from './badge.entity.js';
import { StatusListsService } from './status-lists.service.js';
import { BadgesPersonalData } from './badges-personal-data.js';
import { BadgeStatusList } from './status-list.entity.js';

export const badgesEntities = [BadgeClass, BadgeEndorsement, BadgeAward, BadgeStatusList];

const services = [BadgeIssuer, BadgeCatalogue, BadgeAwards, BadgePublication, StatusListsService, BadgesPersonalData];

/** Skill badges: the catalogue, awards, levels and their Open Badges 2.0 and 3.0 publication. */
@Module({
  imports: [TypeOrmModule.forFeature(badgesEntities), IdentityModule, NotificationsModule, SchoolsModule],
  providers: services,
  exports: services,
})
export class BadgesModule {}

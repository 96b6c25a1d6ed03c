import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IdentityModule } from '@app/identity';
import { NotificationsModule } from '@app/notifications';
import { ClassRelations } from './class-relations.service.js';
import { SchoolsPersonalData } from './schools-personal-data.js';
import { ClassesService } from './classes.service.js';
import { RosterService } from './roster.service.js';
import { ClassStudent, ClassTeacher, SchoolClass } from './school-class.entity.js';
import { School, SchoolMembership } from './school.entity.js';
import { SchoolsService } from './schools.service.js';

export const schoolsEntities = [School, SchoolMembership, SchoolClass, ClassTeacher, ClassStudent];

@Module({
  imports: [TypeOrmModule.forFeature(schoolsEntities), IdentityModule, NotificationsModule],
  providers: [SchoolsService, ClassesService, RosterService, ClassRelations, SchoolsPersonalData],
  exports: [SchoolsService, ClassesService, RosterService, ClassRelations, SchoolsPersonalData],
})
export class SchoolsModule {}

import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IdentityModule } from '@app/identity';
import { OpenDataService } from './open-data.service.js';
import { RecipientReference } from './recipient-reference.entity.js';

export const openDataEntities = [RecipientReference];

@Module({
  imports: [TypeOrmModule.forFeature(openDataEntities), IdentityModule],
  providers: [OpenDataService],
  exports: [OpenDataService],
})
export class OpenDataModule {}

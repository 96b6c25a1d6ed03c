import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsISO8601, IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { AuditService } from '@app/platform';
import { ApiProblems } from '../common/api-problems.decorator.js';
import { Roles } from '../common/auth.decorators.js';
import { PageQueryDto, PageOf } from '../common/dto.js';

export class AuditQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: 'auth.login' }) @IsOptional() @IsString() @Length(1, 100) action?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() actorId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() subjectId?: string;
  @ApiPropertyOptional({ format: 'date-time' }) @IsOptional() @IsISO8601({ strict: true }) since?: string;
}

export class AuditEntryDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() at: Date;
  @ApiProperty() action: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) actorId: string | null;
  @ApiProperty({ nullable: true, type: String }) subjectType: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) subjectId: string | null;
  @ApiProperty({ type: Object }) data: Record<string, unknown>;
}

export class AuditPageDto extends PageOf(AuditEntryDto) {}

@ApiTags('audit')
@Controller('audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Roles('organiser')
  @Get()
  @ApiOkResponse({ type: AuditPageDto, description: 'Newest first' })
  @ApiProblems(400)
  async list(@Query() q: AuditQueryDto): Promise<AuditPageDto> {
    const page = await this.audit.list({ ...q, since: q.since ? new Date(q.since) : undefined });
    return {
      items: page.items.map((e) => ({ id: e.id, at: e.at, action: e.action, actorId: e.actorId, subjectType: e.subjectType, subjectId: e.subjectId, data: e.data })),
      nextCursor: page.nextCursor,
    };
  }
}

import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { IsOptionalNotNull, PageOf, PageQueryDto, RequiredWithout } from '../../common/dto.js';
import { ArrayMaxSize, IsArray, IsEmail, IsOptional, IsString, IsUUID, IsUrl, Length, MaxLength } from 'class-validator';
import type { IdeaView, Invitation, ReportView } from '@app/competitions';

export class CreateIdeaDto {
  @ApiProperty({ maxLength: 120 }) @IsString() @Length(1, 120) title: string;
  @ApiPropertyOptional({ maxLength: 500 }) @IsOptionalNotNull() @IsString() @MaxLength(500) summary?: string;
  @ApiPropertyOptional({ maxLength: 4000 }) @IsOptionalNotNull() @IsString() @MaxLength(4000) problem?: string;
  @ApiPropertyOptional({ maxLength: 4000 }) @IsOptionalNotNull() @IsString() @MaxLength(4000) solution?: string;
  @ApiPropertyOptional({ maxLength: 4000 }) @IsOptionalNotNull() @IsString() @MaxLength(4000) audience?: string;
  @ApiPropertyOptional({ description: "One of the competition's categories" }) @IsOptional() @IsString() @MaxLength(60) category?: string;
  @ApiPropertyOptional({ type: [String], maxItems: 5, description: 'https links only' })
  @IsOptionalNotNull()
  @IsArray()
  @ArrayMaxSize(5)
  @IsUrl({ protocols: ['https'], require_protocol: true }, { each: true, message: 'each link must be an https:// address' })
  @MaxLength(2000, { each: true })
  links?: string[];
}

export class UpdateIdeaDto extends PartialType(CreateIdeaDto, { skipNullProperties: false }) {}

export class InviteMemberDto {
  @ApiPropertyOptional({ description: 'Either username or email' })
  @RequiredWithout('email')
  @IsString()
  @Length(1, 64)
  username?: string;
  @ApiPropertyOptional()
  @RequiredWithout('username')
  @IsEmail()
  @Length(3, 254)
  email?: string;
}

export class IdeaQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: "Only this competition's ideas" }) @IsOptional() @IsUUID('all') competitionId?: string;
}

export class ReasonDto {
  @ApiProperty({ minLength: 3, maxLength: 1000 }) @IsString() @Length(3, 1000) reason: string;
}

export class IdeaMemberDto {
  @ApiProperty({ format: 'uuid' }) userId: string;
  @ApiProperty({ example: 'Amira K.' }) displayName: string;
  @ApiProperty({ enum: ['owner', 'member'] }) role: string;
  @ApiProperty() accepted: boolean;
}

/** The content of an idea, as its team wrote it (also the snapshot judges see). */
export class IdeaContentDto {
  @ApiProperty() title: string;
  @ApiProperty() summary: string;
  @ApiProperty() problem: string;
  @ApiProperty() solution: string;
  @ApiProperty() audience: string;
  @ApiProperty({ nullable: true, type: String }) category: string | null;
  @ApiProperty({ type: [String] }) links: string[];
}

export class IdeaDto extends IdeaContentDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) competitionId: string;
  @ApiProperty({ enum: ['draft', 'submitted', 'withdrawn'] }) status: string;
  @ApiProperty() hidden: boolean;
  @ApiProperty({ enum: ['shortlisted', 'finalist', 'winner'], nullable: true }) outcome: string | null;
  @ApiProperty({ description: 'Latest submitted version (0: never submitted)' }) version: number;
  @ApiProperty({ nullable: true, type: Date }) submittedAt: Date | null;
  @ApiProperty() hasUnsubmittedChanges: boolean;
  @ApiProperty({ type: [IdeaMemberDto] }) members: IdeaMemberDto[];

  static from(v: IdeaView): IdeaDto {
    return {
      id: v.id,
      competitionId: v.competitionId,
      title: v.title,
      summary: v.summary,
      problem: v.problem,
      solution: v.solution,
      audience: v.audience,
      category: v.category,
      links: v.links,
      status: v.status,
      hidden: v.hidden,
      outcome: v.outcome,
      version: v.version,
      submittedAt: v.submittedAt,
      hasUnsubmittedChanges: v.hasUnsubmittedChanges,
      members: v.members.map((m) => ({ userId: m.userId, displayName: m.displayName, role: m.role, accepted: m.accepted })),
    };
  }
}

export class IdeaPageDto extends PageOf(IdeaDto) {}

export class InvitationDto {
  @ApiProperty({ format: 'uuid' }) ideaId: string;
  @ApiProperty() ideaTitle: string;
  @ApiProperty({ format: 'uuid' }) competitionId: string;
  @ApiProperty() competitionTitle: string;
  @ApiProperty({ example: 'Amira K.' }) invitedBy: string;
  @ApiProperty() invitedAt: Date;

  static from(i: Invitation): InvitationDto {
    return { ...i };
  }
}

export class InvitationPageDto extends PageOf(InvitationDto) {}

export class ReportDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) ideaId: string;
  @ApiProperty() ideaTitle: string;
  @ApiProperty() ideaHidden: boolean;
  @ApiProperty({ format: 'uuid' }) reporterId: string;
  @ApiProperty() reason: string;
  @ApiProperty() createdAt: Date;

  static from(r: ReportView): ReportDto {
    return { ...r };
  }
}

export class ReportPageDto extends PageOf(ReportDto) {}

export class CreatedDto {
  @ApiProperty({ format: 'uuid' }) id: string;
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUrl,
  IsUUID,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { BADGE_CATEGORIES, LEVELS, type AwardView, type BadgeCategory, type BadgeView, type EndorsementView, type MyBadges } from '@app/badges';
import { IsOptionalNotNull, PageQueryDto, PageOf } from '../../common/dto.js';

type UrlOptions = Parameters<typeof IsUrl>[0];
const HTTP_URL: UrlOptions = { protocols: ['http', 'https'], require_protocol: true, require_tld: true };
const HTTPS_URL: UrlOptions = { protocols: ['https'], require_protocol: true, require_tld: true };

export class AlignmentDto {
  @ApiProperty({ example: 'Digital skills: creating content', maxLength: 200 }) @IsString() @Length(1, 200) targetName: string;
  @ApiProperty({ example: 'https://www.gov.uk/guidance/essential-digital-skills-framework', maxLength: 2000 })
  @IsUrl(HTTP_URL, { message: 'targetUrl must be an http(s) address' })
  @MaxLength(2000)
  targetUrl: string;
}

export class CreateBadgeDto {
  @ApiProperty({ example: 'pitch-perfect', description: 'Lower-case words joined by hyphens; part of the badge URLs', minLength: 3, maxLength: 60 })
  @IsString()
  @Length(3, 60)
  @Matches(/^[a-z0-9]+(-[a-z0-9]+)*$/, { message: 'slug must be lower-case letters and digits joined by single hyphens' })
  slug: string;
  @ApiProperty({ example: 'Pitch perfect', maxLength: 100 }) @IsString() @Length(1, 100) name: string;
  @ApiProperty({ example: 'Pitched an idea to a panel in under three minutes.', maxLength: 1000 }) @IsString() @Length(1, 1000) description: string;
  @ApiProperty({ description: 'Criteria narrative: what earns the badge', maxLength: 2000 }) @IsString() @Length(1, 2000) criteria: string;
  @ApiProperty({ enum: BADGE_CATEGORIES }) @IsIn(BADGE_CATEGORIES) category: BadgeCategory;
  @ApiProperty({ minimum: 0, maximum: 1000, example: 50 }) @IsInt() @Min(0) @Max(1000) points: number;
  @ApiProperty({
    description: 'PNG or SVG as a data URI (`data:image/png;base64,…`, `data:image/svg+xml;base64,…` or percent-encoded SVG), at most 256 KB. SVGs are sanitised.',
  })
  @IsString()
  image: string;
  @ApiPropertyOptional({ default: false, description: 'Verified teachers may award it to their own students' })
  @IsOptionalNotNull()
  @IsBoolean()
  teacherAwardable?: boolean;
  @ApiPropertyOptional({ type: [AlignmentDto], maxItems: 10 })
  @IsOptionalNotNull()
  @IsArray()
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => AlignmentDto)
  alignments?: AlignmentDto[];
}

export class CreateEndorsementDto {
  @ApiProperty({ example: 'Tech Skills Alliance', maxLength: 200 }) @IsString() @Length(1, 200) endorserName: string;
  @ApiProperty({ example: 'https://techskills.example.org' }) @IsUrl(HTTP_URL, { message: 'endorserUrl must be an http(s) address' }) @MaxLength(2000) endorserUrl: string;
  @ApiProperty({ maxLength: 2000 }) @IsString() @Length(1, 2000) comment: string;
}

export class EndorsementDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) badgeId: string;
  @ApiProperty() endorserName: string;
  @ApiProperty() endorserUrl: string;
  @ApiProperty() comment: string;
  @ApiProperty({ description: 'When the endorsement was added' }) createdAt: Date;
  @ApiProperty({ description: 'The OB 2.0 Endorsement document' }) url: string;

  static from(v: EndorsementView): EndorsementDto {
    return { id: v.id, badgeId: v.badgeId, endorserName: v.endorserName, endorserUrl: v.endorserUrl, comment: v.comment, createdAt: v.createdAt, url: v.url };
  }
}

/** The badge shape of SPEC §3. */
export class BadgeDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() slug: string;
  @ApiProperty() name: string;
  @ApiProperty() description: string;
  @ApiProperty({ description: 'Criteria narrative' }) criteria: string;
  @ApiProperty({ enum: BADGE_CATEGORIES }) category: string;
  @ApiProperty() points: number;
  @ApiProperty({ description: 'The image, served with a restrictive Content-Security-Policy' }) imageUrl: string;
  @ApiProperty() teacherAwardable: boolean;
  @ApiProperty({ type: [AlignmentDto] }) alignments: AlignmentDto[];
  @ApiProperty({ description: 'Awarded automatically by domain events' }) builtIn: boolean;
  @ApiProperty({ description: 'The OB 2.0 BadgeClass (also the OB 3.0 Achievement id)' }) openBadgesUrl: string;
  @ApiProperty({ type: [EndorsementDto] }) endorsements: EndorsementDto[];

  static from(v: BadgeView): BadgeDto {
    return {
      id: v.id,
      slug: v.slug,
      name: v.name,
      description: v.description,
      criteria: v.criteria,
      category: v.category,
      points: v.points,
      imageUrl: v.imageUrl,
      teacherAwardable: v.teacherAwardable,
      alignments: v.alignments.map((a) => ({ targetName: a.targetName, targetUrl: a.targetUrl })),
      builtIn: v.builtIn,
      openBadgesUrl: v.openBadgesUrl,
      endorsements: v.endorsements.map(EndorsementDto.from),
    };
  }
}

export class BadgePageDto extends PageOf(BadgeDto) {}

export class BadgeQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: BADGE_CATEGORIES }) @IsOptional() @IsIn(BADGE_CATEGORIES) category?: BadgeCategory;
}

export class EvidenceDto {
  @ApiProperty({ maxLength: 2000, description: 'Published in the badge: no surname, email address or postcode' })
  @IsString()
  @Length(1, 2000)
  narrative: string;
  @ApiPropertyOptional({ description: 'https only' })
  @IsOptionalNotNull()
  @IsUrl(HTTPS_URL, { message: 'url must be an https:// address' })
  @MaxLength(2000)
  url?: string;
}

export class CreateAwardDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID('all', { message: 'recipientId must be a UUID' }) recipientId: string;
  @ApiProperty({ type: EvidenceDto }) @IsObject() @ValidateNested() @Type(() => EvidenceDto) evidence: EvidenceDto;
}

export class RevokeAwardDto {
  @ApiProperty({ minLength: 3, maxLength: 1000, description: 'Published with the revocation: no surname, email address or postcode' })
  @IsString()
  @Length(3, 1000)
  reason: string;
}

export class AwardedBadgeDto {
  @ApiProperty() slug: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: BADGE_CATEGORIES }) category: string;
  @ApiProperty() points: number;
}

export class OpenBadgesLinksDto {
  @ApiProperty({ nullable: true, type: String, description: 'OB 2.0 hosted assertion; null until published (an under-13 needs consent first)' })
  assertionUrl: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Signed OB 3.0 OpenBadgeCredential; null until published' })
  credentialUrl: string | null;
}

export class AwardEvidenceDto {
  @ApiProperty() narrative: string;
  @ApiPropertyOptional() url?: string;
}

export class AwardDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) badgeId: string;
  @ApiProperty({ type: AwardedBadgeDto }) badge: AwardedBadgeDto;
  @ApiProperty({ format: 'uuid' }) recipientId: string;
  @ApiProperty({ enum: ['automatic', 'organiser', 'teacher'] }) method: string;
  @ApiProperty({ type: AwardEvidenceDto }) evidence: AwardEvidenceDto;
  @ApiProperty() issuedAt: Date;
  @ApiProperty() revoked: boolean;
  @ApiProperty({ nullable: true, type: Date }) revokedAt: Date | null;
  @ApiProperty({ nullable: true, type: String }) revocationReason: string | null;
  @ApiProperty({ type: OpenBadgesLinksDto }) openBadges: OpenBadgesLinksDto;

  static from(v: AwardView): AwardDto {
    return {
      id: v.id,
      badgeId: v.badgeId,
      badge: { slug: v.badge.slug, name: v.badge.name, category: v.badge.category, points: v.badge.points },
      recipientId: v.recipientId,
      method: v.method,
      evidence: { narrative: v.evidence.narrative, ...(v.evidence.url ? { url: v.evidence.url } : {}) },
      issuedAt: v.issuedAt,
      revoked: v.revoked,
      revokedAt: v.revokedAt,
      revocationReason: v.revocationReason,
      openBadges: { assertionUrl: v.openBadges.assertionUrl, credentialUrl: v.openBadges.credentialUrl },
    };
  }
}

/** The my-badges shape of SPEC §3. */
export class MyBadgesDto {
  @ApiProperty({ type: [AwardDto], description: 'Every award, newest first, revoked ones included' }) items: AwardDto[];
  @ApiProperty({ description: 'Points of the live (unrevoked) badges' }) points: number;
  @ApiProperty({ enum: LEVELS, nullable: true }) level: string | null;

  static from(v: MyBadges): MyBadgesDto {
    return { items: v.items.map(AwardDto.from), points: v.points, level: v.level };
  }
}

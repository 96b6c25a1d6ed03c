import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { IsOptionalNotNull, PageOf } from '../../common/dto.js';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsDate, IsInt, IsString, Length, Matches, Max, MaxLength, Min } from 'class-validator';
import type { CompetitionView } from '@app/competitions';

const STATUSES = ['draft', 'upcoming', 'open', 'closed', 'judging', 'results'];

export class CreateCompetitionDto {
  @ApiProperty({ maxLength: 120, example: 'Young Ideas 2027' }) @IsString() @Length(1, 120) title: string;
  @ApiProperty({ example: 'young-ideas-2027', description: 'lower-case words joined by hyphens' })
  @IsString()
  @Length(3, 60)
  @Matches(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, { message: 'slug must be lower-case words joined by hyphens' })
  slug: string;
  @ApiPropertyOptional({ maxLength: 10000 }) @IsOptionalNotNull() @IsString() @MaxLength(10000) description?: string;
  @ApiProperty({ minimum: 11, maximum: 25 }) @IsInt() @Min(11) @Max(25) minAge: number;
  @ApiProperty({ minimum: 11, maximum: 25 }) @IsInt() @Min(11) @Max(25) maxAge: number;
  @ApiProperty({ format: 'date-time' }) @Type(() => Date) @IsDate() opensAt: Date;
  @ApiProperty({ format: 'date-time' }) @Type(() => Date) @IsDate() closesAt: Date;
  @ApiPropertyOptional({ default: 4, minimum: 1, maximum: 10 }) @IsOptionalNotNull() @IsInt() @Min(1) @Max(10) maxTeamSize?: number;
  @ApiPropertyOptional({ default: 3, minimum: 1, maximum: 50 }) @IsOptionalNotNull() @IsInt() @Min(1) @Max(50) prizeCount?: number;
  @ApiPropertyOptional({ default: 1500000, description: 'pence' }) @IsOptionalNotNull() @IsInt() @Min(0) @Max(100_000_000) prizeAmountPence?: number;
  @ApiProperty({ type: [String], example: ['health', 'environment', 'education'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(30)
  @IsString({ each: true })
  @Length(1, 60, { each: true })
  categories: string[];
}

export class UpdateCompetitionDto extends PartialType(CreateCompetitionDto, { skipNullProperties: false }) {}

export class CompetitionDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() slug: string;
  @ApiProperty() title: string;
  @ApiProperty() description: string;
  @ApiProperty() minAge: number;
  @ApiProperty() maxAge: number;
  @ApiProperty() opensAt: Date;
  @ApiProperty() closesAt: Date;
  @ApiProperty({ nullable: true, type: Date, description: 'Set when closed early' }) closedAt: Date | null;
  @ApiProperty({ description: 'When entries stop: closesAt, or closedAt when closed early' }) deadline: Date;
  @ApiProperty() maxTeamSize: number;
  @ApiProperty() prizeCount: number;
  @ApiProperty() prizeAmountPence: number;
  @ApiProperty({ type: [String] }) categories: string[];
  @ApiProperty({ enum: STATUSES }) status: string;
  @ApiProperty({ nullable: true, type: Date }) publishedAt: Date | null;

  static from(c: CompetitionView): CompetitionDto {
    return {
      id: c.id,
      slug: c.slug,
      title: c.title,
      description: c.description,
      minAge: c.minAge,
      maxAge: c.maxAge,
      opensAt: c.opensAt,
      closesAt: c.closesAt,
      closedAt: c.closedAt,
      deadline: c.deadline,
      maxTeamSize: c.maxTeamSize,
      prizeCount: c.prizeCount,
      prizeAmountPence: c.prizeAmountPence,
      categories: c.categories,
      status: c.status,
      publishedAt: c.publishedAt,
    };
  }
}

export class CompetitionPageDto extends PageOf(CompetitionDto) {}

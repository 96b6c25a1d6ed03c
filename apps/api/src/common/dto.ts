import { type Type as ClassType, applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Length, Matches, Max, Min, ValidateIf } from 'class-validator';

/**
 * A field that may be left out but not sent as null. `@IsOptional()` skips null as well, which then reaches a
 * NOT NULL column (500); here null goes on to the field's own validators and is refused, naming the field (400).
 */
export const IsOptionalNotNull = () => ValidateIf((_, value) => value !== undefined);

/**
 * One of a pair (`{email}` or `{username}`): checked whenever it is sent, null included, and when `other` is left out,
 * so `{email: null, username: null}` is refused naming both rather than reaching the service.
 */
export const RequiredWithout = (other: string) => ValidateIf((o: Record<string, unknown>, value) => value !== undefined || o[other] === undefined);

/** A person's name: letters (any script), spaces, hyphens, apostrophes and dots; 1–50 characters. */
export const PersonName = (example: string, { optional = false } = {}) =>
  applyDecorators(
    ...(optional ? [ApiPropertyOptional({ example, minLength: 1, maxLength: 50 }), IsOptionalNotNull()] : [ApiProperty({ example, minLength: 1, maxLength: 50 })]),
    IsString(),
    Length(1, 50),
    Matches(/^[\p{L}\p{M}][\p{L}\p{M}' .-]*$/u, { message: '$property may hold letters, spaces, hyphens and apostrophes only' }),
  );

/** ?limit=&cursor= of every collection (SPEC §3). */
export class PageQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit: number = 20;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @Length(1, 500)
  cursor?: string;
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

export class IdParam {
  @ApiProperty({ format: 'uuid' })
  @Matches(UUID, { message: 'id must be a UUID' })
  id: string;
}

/**
 * The `{items, nextCursor}` shape of every collection (SPEC §3), for OpenAPI:
 * `export class ReportPageDto extends PageOf(ReportDto) {}`.
 */
export function PageOf<T>(item: ClassType<T>) {
  class Page {
    @ApiProperty({ type: [item] }) items: T[];
    @ApiProperty({ nullable: true, type: String, description: 'Pass as ?cursor= for the next page; null on the last' }) nextCursor: string | null;
  }
  return Page;
}

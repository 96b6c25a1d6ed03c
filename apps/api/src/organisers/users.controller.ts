import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length } from 'class-validator';
import { AGE_BANDS, PeopleDirectory, REGIONS, ROLES, displayName, type Role } from '@app/identity';
import { ApiProblems } from '../common/api-problems.decorator.js';
import { Roles } from '../common/auth.decorators.js';
import { PageQueryDto } from '../common/dto.js';

export class UserSearchDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Part of a name, username or email' }) @IsOptional() @IsString() @Length(1, 100) q?: string;
  @ApiPropertyOptional({ enum: ROLES }) @IsOptional() @IsIn(ROLES) role?: Role;
}

export class PersonDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() username: string;
  @ApiProperty({ nullable: true, type: String }) email: string | null;
  @ApiProperty() firstName: string;
  @ApiProperty() lastName: string;
  @ApiProperty() displayName: string;
  @ApiProperty({ enum: ROLES, isArray: true }) roles: string[];
  @ApiProperty({ enum: AGE_BANDS }) ageBand: string;
  @ApiProperty({ enum: REGIONS, nullable: true }) region: string | null;
}

export class PersonPageDto {
  @ApiProperty({ type: [PersonDto] }) items: PersonDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

@ApiTags('organisers')
@Controller('users')
export class UsersController {
  constructor(private readonly people: PeopleDirectory) {}

  @Roles('organiser')
  @Get()
  @ApiOkResponse({ type: PersonPageDto, description: 'People, newest accounts first (for awards and judge panels)' })
  @ApiProblems(400)
  async search(@Query() query: UserSearchDto): Promise<PersonPageDto> {
    const page = await this.people.search(query);
    return {
      items: page.items.map((p) => ({
        id: p.id,
        username: p.username,
        email: p.email,
        firstName: p.firstName,
        lastName: p.lastName,
        displayName: displayName(p.firstName, p.lastName),
        roles: p.roles,
        ageBand: p.ageBand,
        region: p.region,
      })),
      nextCursor: page.nextCursor,
    };
  }
}

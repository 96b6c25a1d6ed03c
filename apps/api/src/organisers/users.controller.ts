import { Body, Controller, Get, Param, Patch, Query } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length } from 'class-validator';
import { AGE_BANDS, AccountsService, PeopleDirectory, REGIONS, ROLES, displayName, type PersonFacts, type Principal, type Role } from '@app/identity';
import { ApiProblems } from '../common/api-problems.decorator.js';
import { CurrentUser, Roles } from '../common/auth.decorators.js';
import { IdParam, PageQueryDto, PageOf } from '../common/dto.js';
import { CorrectDateOfBirthDto } from '../classes/dto/classes.dto.js';

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

export class PersonPageDto extends PageOf(PersonDto) {}

@ApiTags('organisers')
@Controller('users')
export class UsersController {
  constructor(
    private readonly people: PeopleDirectory,
    private readonly accounts: AccountsService,
  ) {}

  @Roles('organiser')
  @Get()
  @ApiOkResponse({ type: PersonPageDto, description: 'People, newest accounts first (for awards and judge panels)' })
  @ApiProblems(400)
  async search(@Query() query: UserSearchDto): Promise<PersonPageDto> {
    const page = await this.people.search(query);
    return { items: page.items.map(toPersonDto), nextCursor: page.nextCursor };
  }

  @Roles('organiser')
  @Patch(':id')
  @ApiOkResponse({
    type: PersonDto,
    description:
      "Corrects an entrant's date of birth (audited with age bands only); a newly under-13 entrant needs consent again, and someone under 18 " +
      'loses any adult role (judge, teacher, organiser; each removal audited as `user.role_removed`)',
  })
  @ApiProblems(400, 404)
  async correct(@CurrentUser() actor: Principal, @Param() { id }: IdParam, @Body() dto: CorrectDateOfBirthDto): Promise<PersonDto> {
    const user = await this.accounts.correctDateOfBirth(id, dto.dateOfBirth, actor.userId);
    return toPersonDto({ ...(await this.people.fact(user.id))!, username: user.username });
  }
}

function toPersonDto(p: PersonFacts & { username: string }): PersonDto {
  return {
    id: p.id,
    username: p.username,
    email: p.email,
    firstName: p.firstName,
    lastName: p.lastName,
    displayName: displayName(p.firstName, p.lastName),
    roles: p.roles,
    ageBand: p.ageBand,
    region: p.region,
  };
}

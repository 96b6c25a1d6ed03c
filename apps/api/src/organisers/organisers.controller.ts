import { Body, Controller, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsEmail, IsString, Length } from 'class-validator';
import { AccountsService, type Principal } from '@app/identity';
import { ApiProblem, ApiProblems } from '../common/api-problems.decorator.js';
import { CurrentUser, Roles } from '../common/auth.decorators.js';
import { PersonName } from '../common/dto.js';
import { UserDto } from '../me/dto/user.dto.js';
import { MeService } from '../me/me.service.js';

export class CreateOrganiserDto {
  @ApiProperty() @IsEmail() @Length(3, 254) email: string;
  @PersonName('Sam') firstName: string;
  @PersonName('Okafor') lastName: string;
  @ApiProperty({ description: 'Initial password for a new account (ignored when the email already has an adult account)' })
  @IsString()
  @Length(1, 1024)
  password: string;
}

@ApiTags('organisers')
@Controller('organisers')
export class OrganisersController {
  constructor(
    private readonly accounts: AccountsService,
    private readonly me: MeService,
  ) {}

  @Roles('organiser')
  @Post()
  @ApiCreatedResponse({ type: UserDto, description: 'A new organiser account, or an existing adult account with a verified email given the role' })
  @ApiProblems(400)
  @ApiProblem(
    409,
    'The email belongs to an account that cannot be given the role: a child’s (`NOT_AN_ADULT`), or one whose email was never verified ' +
      '(`EMAIL_NOT_VERIFIED`: its holder must verify it, or reset the account’s password, first). Nothing changed.',
  )
  async create(@CurrentUser() actor: Principal, @Body() dto: CreateOrganiserDto): Promise<UserDto> {
    const { user } = await this.accounts.createOrganiser(dto, actor.userId);
    return this.me.toDto(user);
  }
}

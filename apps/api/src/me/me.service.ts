import { Injectable } from '@nestjs/common';
import { BadgeAwards } from '@app/badges';
import { AccountsService, type User } from '@app/identity';
import { UserDto } from './dto/user.dto.js';

/** Assembles the user shape from the areas that own its parts. */
@Injectable()
export class MeService {
  constructor(
    private readonly accounts: AccountsService,
    private readonly badges: BadgeAwards,
  ) {}

  async toDto(user: User): Promise<UserDto> {
    const { points, level } = (await this.badges.progress([user.id])).get(user.id)!;
    return UserDto.from(this.accounts.view(user), { points, level });
  }
}

import { Injectable } from '@nestjs/common';
import { AccountsService, type User } from '@app/identity';
import { UserDto } from './dto/user.dto.js';

/** Assembles the user shape from the areas that own its parts. */
@Injectable()
export class MeService {
  constructor(private readonly accounts: AccountsService) {}

  async toDto(user: User): Promise<UserDto> {
    // Points and level come from badge awards; no badge area exists yet, so nobody has any.
    return UserDto.from(this.accounts.view(user), { points: 0, level: null });
  }
}

import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AccountsService, type Principal } from '@app/identity';
import { NotificationsService } from '@app/notifications';
import { ApiProblems } from '../common/api-problems.decorator.js';
import { AllowedDuringPasswordChange, CurrentUser, SignedIn } from '../common/auth.decorators.js';
import { IdParam, PageQueryDto } from '../common/dto.js';
import { NotificationPageDto, UpdateMeDto, UserDto } from './dto/user.dto.js';
import { MeService } from './me.service.js';

@ApiTags('me')
@SignedIn()
@Controller('me')
export class MeController {
  constructor(
    private readonly accounts: AccountsService,
    private readonly notifications: NotificationsService,
    private readonly me: MeService,
  ) {}

  @AllowedDuringPasswordChange()
  @Get()
  @ApiOkResponse({ type: UserDto })
  async get(@CurrentUser() principal: Principal): Promise<UserDto> {
    return this.me.toDto(await this.accounts.get(principal.userId));
  }

  @Patch()
  @ApiOkResponse({ type: UserDto })
  @ApiProblems(400, 409)
  async update(@CurrentUser() principal: Principal, @Body() dto: UpdateMeDto): Promise<UserDto> {
    return this.me.toDto(await this.accounts.updateProfile(principal.userId, dto));
  }

  @Get('notifications')
  @ApiOkResponse({ type: NotificationPageDto })
  @ApiProblems(400)
  inbox(@CurrentUser() principal: Principal, @Query() page: PageQueryDto): Promise<NotificationPageDto> {
    return this.notifications.inbox(principal.userId, page.limit, page.cursor);
  }

  @Post('notifications/:id/read')
  @HttpCode(204)
  @ApiNoContentResponse()
  @ApiProblems(400, 404)
  async read(@CurrentUser() principal: Principal, @Param() { id }: IdParam): Promise<void> {
    await this.notifications.markRead(principal.userId, id);
  }
}

import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AccountsService, type Principal } from '@app/identity';
import { NotificationsService } from '@app/notifications';
import { PrivacyService } from '@app/privacy';
import { ApiProblems } from '../common/api-problems.decorator.js';
import { AllowedDuringPasswordChange, CurrentUser, SignedIn } from '../common/auth.decorators.js';
import { IdParam, PageQueryDto } from '../common/dto.js';
import { EraseMeDto, NotificationPageDto, UpdateMeDto, UserDto } from './dto/user.dto.js';
import { MeService } from './me.service.js';

@ApiTags('me')
@SignedIn()
@Controller('me')
export class MeController {
  constructor(
    private readonly accounts: AccountsService,
    private readonly notifications: NotificationsService,
    private readonly me: MeService,
    private readonly privacy: PrivacyService,
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

  @Get('export')
  @ApiOkResponse({ description: 'All personal data held about the caller, inline as JSON, by area' })
  async export(@CurrentUser() principal: Principal): Promise<Record<string, unknown>> {
    return this.privacy.export(principal.userId);
  }

  @Delete()
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Erased: sign-in impossible, sessions ended, personal data wiped; counts of entries, scores and awards kept' })
  @ApiProblems(400)
  async erase(@CurrentUser() principal: Principal, @Body() dto: EraseMeDto): Promise<void> {
    await this.privacy.eraseWithPassword(principal.userId, dto.password);
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

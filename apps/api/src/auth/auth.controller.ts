import { Body, Controller, HttpCode, Post, Req, UseGuards } from '@nestjs/common';
import { ApiAcceptedResponse, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { AccountsService, AuthService, type Principal, type User } from '@app/identity';
import { ApiProblems } from '../common/api-problems.decorator.js';
import { AllowedDuringPasswordChange, CurrentUser, Public, SignedIn } from '../common/auth.decorators.js';
import { localAuthGuard } from '../common/guards.js';
import { UserDto } from '../me/dto/user.dto.js';
import { MeService } from '../me/me.service.js';
import {
  ChangePasswordDto,
  ForgotPasswordDto,
  LoginDto,
  LogoutDto,
  RefreshDto,
  RegisterDto,
  ResetPasswordDto,
  TokenDto,
  TokenPairDto,
} from './dto/auth.dto.js';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly accounts: AccountsService,
    private readonly auth: AuthService,
    private readonly me: MeService,
  ) {}

  @Public()
  @Post('register')
  @ApiCreatedResponse({ type: UserDto })
  @ApiProblems(400, 409, 429)
  async register(@Body() dto: RegisterDto): Promise<UserDto> {
    const user = await this.accounts.register(dto);
    return this.me.toDto(user);
  }

  @Public()
  @Post('verify-email')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Email verified' })
  @ApiProblems(400, 404, 410)
  async verifyEmail(@Body() dto: TokenDto): Promise<void> {
    await this.accounts.verifyEmail(dto.token);
  }

  @Public()
  @Post('login')
  @HttpCode(200)
  @UseGuards(localAuthGuard(LoginDto))
  @ApiOkResponse({ type: TokenPairDto })
  @ApiProblems(400, 401, 429)
  login(@Req() req: Request, @Body() _dto: LoginDto): Promise<TokenPairDto> {
    return this.auth.startSession(req.user as User);
  }

  @Public()
  @Post('refresh')
  @HttpCode(200)
  @ApiOkResponse({ type: TokenPairDto })
  @ApiProblems(400, 401)
  refresh(@Body() dto: RefreshDto): Promise<TokenPairDto> {
    return this.auth.refresh(dto.refreshToken);
  }

  @SignedIn()
  @AllowedDuringPasswordChange()
  @Post('logout')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'This session has ended' })
  @ApiProblems(400)
  async logout(@CurrentUser() user: Principal, @Body() _dto: LogoutDto): Promise<void> {
    await this.auth.logout(user);
  }

  @Public()
  @Post('password/forgot')
  @HttpCode(202)
  @ApiAcceptedResponse({ description: 'Always: if the account exists, a reset link is emailed' })
  @ApiProblems(400)
  async forgot(@Body() dto: ForgotPasswordDto): Promise<void> {
    await this.auth.forgotPassword((dto.email ?? dto.username)!);
  }

  @Public()
  @Post('password/reset')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Password changed; every session ended' })
  @ApiProblems(400, 404, 410)
  async reset(@Body() dto: ResetPasswordDto): Promise<void> {
    await this.auth.resetPassword(dto.token, dto.password);
  }

  @SignedIn()
  @AllowedDuringPasswordChange()
  @Post('password/change')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Password changed; other sessions ended' })
  @ApiProblems(400)
  async change(@CurrentUser() user: Principal, @Body() dto: ChangePasswordDto): Promise<void> {
    await this.auth.changePassword(user, dto.currentPassword, dto.newPassword);
  }
}

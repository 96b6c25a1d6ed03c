import { Controller, Delete, HttpCode, Post, Res } from '@nestjs/common';
import { ApiNoContentResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { AppConfig } from '@app/platform';
import { AuthService, type Principal } from '@app/identity';
import { CurrentUser, Public, Roles } from '../common/auth.decorators.js';
import { ADMIN_COOKIE, ADMIN_PATH } from './bull-board.js';

/** The operator session for Bull Board (/admin/queues): an HttpOnly, SameSite=Strict cookie. */
@ApiTags('admin')
@Controller('admin')
export class AdminController {
  constructor(
    private readonly auth: AuthService,
    private readonly config: AppConfig,
  ) {}

  @Roles('organiser')
  @Post('session')
  @HttpCode(204)
  @ApiNoContentResponse({ description: `Sets the ${ADMIN_COOKIE} cookie for ${ADMIN_PATH}/queues (1 hour, ends with the session)` })
  async open(@CurrentUser() principal: Principal, @Res({ passthrough: true }) res: Response): Promise<void> {
    const { token, maxAgeSeconds } = await this.auth.issueOperatorToken(principal);
    res.cookie(ADMIN_COOKIE, token, {
      httpOnly: true,
      sameSite: 'strict',
      secure: this.config.http.publicBaseUrl.startsWith('https:'),
      path: ADMIN_PATH,
      maxAge: maxAgeSeconds * 1000,
    });
  }

  @Public()
  @Delete('session')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Clears the cookie' })
  close(@Res({ passthrough: true }) res: Response): void {
    res.clearCookie(ADMIN_COOKIE, { path: ADMIN_PATH, httpOnly: true, sameSite: 'strict' });
  }
}

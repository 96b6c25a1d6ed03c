import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../common/auth.decorators.js';
import { sendPage } from './page.js';

/** The pages emailed links open (on PUBLIC_BASE_URL, outside /api/v1). */
@ApiExcludeController()
@Public()
@Controller()
export class PagesController {
  @Get('verify-email')
  verifyEmail(@Query('token') token: unknown, @Res() res: Response): void {
    sendPage(
      res,
      {
        title: 'Confirm your email',
        intro: ['Press the button to confirm the email address of your Young Ideas account.'],
        action: '/api/v1/auth/verify-email',
        tokenInBody: true,
        fields: [],
        submit: 'Confirm my email',
        done: 'Thank you: your email address is confirmed. You can close this page.',
      },
      typeof token === 'string' ? token : '',
    );
  }

  @Get('reset-password')
  resetPassword(@Query('token') token: unknown, @Res() res: Response): void {
    sendPage(
      res,
      {
        title: 'Choose a new password',
        intro: ['Use 10 or more characters, and not a password you use anywhere else.'],
        action: '/api/v1/auth/password/reset',
        tokenInBody: true,
        fields: [
          { name: 'password', label: 'New password', type: 'password', autocomplete: 'new-password' },
          { name: 'confirm', label: 'The same again', type: 'password', autocomplete: 'new-password' },
        ],
        confirm: ['password', 'confirm'],
        submit: 'Save my new password',
        done: 'Your password is changed and every device was signed out. You can sign in again now.',
      },
      typeof token === 'string' ? token : '',
    );
  }
}

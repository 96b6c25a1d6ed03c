import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { ConsentService } from '@app/identity';
import { JudgeInvitationsService } from '@app/judging';
import { Public } from '../common/auth.decorators.js';
import { sendPage } from './page.js';

/** The pages emailed links open (on PUBLIC_BASE_URL, outside /api/v1). */
@ApiExcludeController()
@Public()
@Controller()
export class PagesController {
  constructor(
    private readonly consent: ConsentService,
    private readonly judgeInvitations: JudgeInvitationsService,
  ) {}

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

  @Get('consent')
  async parentalConsent(@Query('token') token: unknown, @Res() res: Response): Promise<void> {
    const given = typeof token === 'string' ? token : '';
    // Reading the link's details changes nothing, so a mail scanner opening it is harmless.
    const preview = given ? await this.consent.preview(given).catch(() => null) : null;
    sendPage(
      res,
      {
        title: 'Parental consent',
        intro: preview
          ? [
              `${preview.displayName} (age band ${preview.ageBand}) has a Young Ideas account. Because they are under 13, they need your consent before they can submit an idea, join a team or appear in any public list.`,
              'What we hold about them, and why:',
              ...preview.processing.map((p) => `${p.data}: ${p.purpose}`),
              'If you refuse, they can still sign in and write drafts, and can send you a new link if you change your mind.',
            ]
          : ['This link is not valid: it may have been used already or have expired. Your child can ask for a new one from their account.'],
        action: '/api/v1/consent/{token}',
        tokenInBody: false,
        fields: [
          {
            name: 'decision',
            label: 'Your decision',
            type: 'radio',
            options: [
              { value: 'grant', label: 'I am their parent or guardian and I give consent' },
              { value: 'refuse', label: 'I do not give consent' },
            ],
          },
          { name: 'parentName', label: 'Your full name', type: 'text', autocomplete: 'name' },
        ],
        submit: 'Send my decision',
        done: 'Thank you: your decision is recorded. You can close this page.',
      },
      given,
    );
  }

  @Get('judge-invitation')
  async judgeInvitation(@Query('token') token: unknown, @Res() res: Response): Promise<void> {
    const given = typeof token === 'string' ? token : '';
    // Reading the invitation changes nothing; accepting is the form's POST.
    const preview = given ? await this.judgeInvitations.preview(given).catch(() => null) : null;
    sendPage(
      res,
      {
        title: 'Judge Young Ideas',
        intro: !preview
          ? ['This link is not valid: it may have been used already or have expired. Ask the organisers for a new invitation.']
          : preview.hasAccount
            ? [`Hello ${preview.firstName}, you are invited to be a volunteer judge. Your email address already has a Young Ideas account: accepting adds judging to it, and you sign in with your usual password.`]
            : [`Hello ${preview.firstName}, you are invited to be a volunteer judge. Choose a password for your judge account: 10 or more characters, and not one you use anywhere else.`],
        action: '/api/v1/judges/invitations/{token}/accept',
        tokenInBody: false,
        fields:
          preview && !preview.hasAccount
            ? [
                { name: 'password', label: 'Password', type: 'password', autocomplete: 'new-password' },
                { name: 'confirm', label: 'The same again', type: 'password', autocomplete: 'new-password' },
              ]
            : [],
        ...(preview && !preview.hasAccount ? { confirm: ['password', 'confirm'] as [string, string] } : {}),
        submit: 'Accept the invitation',
        done: 'Welcome, judge: you can now sign in to Young Ideas and open your judging queue.',
      },
      given,
    );
  }
}

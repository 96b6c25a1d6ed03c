import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ConsentService, type Principal } from '@app/identity';
import { ApiProblem, ApiProblems } from '../common/api-problems.decorator.js';
import { CurrentUser, Public, Roles } from '../common/auth.decorators.js';
import { ConsentDecisionDto, ConsentPreviewDto, ConsentTokenParam, ResendConsentDto } from './dto/consent.dto.js';

/** Parental consent for under-13s (SPEC §2.1): parents act through the emailed link, without an account. */
@ApiTags('consent')
@Controller()
export class ConsentController {
  constructor(private readonly consent: ConsentService) {}

  @Public()
  @Get('consent/:token')
  @ApiOkResponse({ type: ConsentPreviewDto, description: 'What the parent is asked about; reading it changes nothing' })
  @ApiProblems(400, 404, 410)
  preview(@Param() { token }: ConsentTokenParam): Promise<ConsentPreviewDto> {
    return this.consent.preview(token);
  }

  @Public()
  @Post('consent/:token')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Consent granted or refused (the link is spent); the child is told in their inbox' })
  @ApiProblems(400, 404, 409, 410)
  async decide(@Param() { token }: ConsentTokenParam, @Body() dto: ConsentDecisionDto): Promise<void> {
    await this.consent.decide(token, dto.decision, dto.parentName);
  }

  @Roles('entrant')
  @Post('me/consent/resend')
  @HttpCode(202)
  @ApiAcceptedResponse({ description: 'A new link is on its way to the parent (earlier links stop working)' })
  @ApiProblems(400, 429)
  @ApiProblem(
    409,
    'Consent is not needed (`CONSENT_NOT_REQUIRED`) or already given (`CONSENT_ALREADY_GRANTED`), or a parent refused it and `parentEmail` ' +
      'names another address than the one on file (`CONSENT_REFUSED`: after a refusal the request goes only to that parent). Nothing sent.',
  )
  async resend(@CurrentUser() child: Principal, @Body() dto: ResendConsentDto): Promise<void> {
    await this.consent.resend(child.userId, dto.parentEmail);
  }
}

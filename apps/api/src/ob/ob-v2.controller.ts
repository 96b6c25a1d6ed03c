import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { BadgePublication, documentNotFound } from '@app/badges';
import { Public } from '../common/auth.decorators.js';
import { CACHE, OB2_TYPE, documentId, sendDocument, sendImage } from './ob-response.js';

/**
 * Open Badges 2.0 hosted documents (SPEC §3), on PUBLIC_BASE_URL. They follow the Open Badges standard,
 * not this API's conventions, so they are left out of the OpenAPI document (see README).
 */
@ApiExcludeController()
@Public()
@Controller('ob/v2')
export class ObV2Controller {
  constructor(private readonly publication: BadgePublication) {}

  @Get('issuer')
  issuer(@Res() res: Response): void {
    sendDocument(res, OB2_TYPE, this.publication.ob2Issuer(), { cacheControl: CACHE.static });
  }

  @Get('badges/:slug')
  async badge(@Param('slug') slug: string, @Res() res: Response): Promise<void> {
    const badge = await this.publication.ob2BadgeClass(slug);
    if (!badge) throw documentNotFound();
    sendDocument(res, OB2_TYPE, badge);
  }

  @Get('assertions/:id')
  async assertion(@Param('id') id: string, @Res() res: Response): Promise<void> {
    const answer = await this.publication.assertion(documentId(id));
    if (!answer) throw documentNotFound();
    sendDocument(res, OB2_TYPE, answer.document, { status: answer.state === 'revoked' ? 410 : 200 });
  }

  @Get('assertions/:id/image')
  async assertionImage(@Param('id') id: string, @Res() res: Response): Promise<void> {
    const answer = await this.publication.bakedAssertionImage(documentId(id));
    if (!answer) throw documentNotFound();
    if ('state' in answer) sendDocument(res, OB2_TYPE, answer.document, { status: 410 });
    else sendImage(res, answer, { cacheControl: CACHE.revalidate });
  }

  @Get('revocations')
  async revocations(@Res() res: Response): Promise<void> {
    sendDocument(res, OB2_TYPE, await this.publication.revocationList());
  }

  @Get('endorsements/:id')
  async endorsement(@Param('id') id: string, @Res() res: Response): Promise<void> {
    const endorsement = await this.publication.ob2Endorsement(documentId(id));
    if (!endorsement) throw documentNotFound();
    sendDocument(res, OB2_TYPE, endorsement, { cacheControl: CACHE.static });
  }
}

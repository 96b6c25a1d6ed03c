import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { BadgeIssuer, BadgePublication, StatusListsService, documentNotFound } from '@app/badges';
import { Public } from '../common/auth.decorators.js';
import { CACHE, OB2_TYPE, VC_TYPE, documentId, sendDocument, sendImage } from './ob-response.js';

/**
 * Open Badges 3.0 (SPEC §3): the signed credentials (served exactly as stored when signed; a revoked one
 * stays served — its status bit says so), the key's controller document and the status lists.
 */
@ApiExcludeController()
@Public()
@Controller('ob/v3')
export class ObV3Controller {
  constructor(
    private readonly publication: BadgePublication,
    private readonly issuer: BadgeIssuer,
    private readonly statusLists: StatusListsService,
  ) {}

  @Get('credentials/:id')
  async credential(@Param('id') id: string, @Res() res: Response): Promise<void> {
    const credential = await this.publication.credential(documentId(id));
    if (!credential) throw documentNotFound();
    res.setHeader('ETag', credential.etag);
    sendDocument(res, VC_TYPE, credential.body);
  }

  @Get('credentials/:id/image')
  async credentialImage(@Param('id') id: string, @Res() res: Response): Promise<void> {
    const image = await this.publication.bakedCredentialImage(documentId(id));
    if (!image) throw documentNotFound();
    sendImage(res, image, { cacheControl: CACHE.revalidate });
  }

  @Get('issuer')
  async controller(@Res() res: Response): Promise<void> {
    sendDocument(res, OB2_TYPE, await this.issuer.controllerDocument(), { cacheControl: CACHE.static });
  }

  @Get('status/:listId')
  async statusList(@Param('listId') listId: string, @Res() res: Response): Promise<void> {
    if (!/^[1-9]\d{0,9}$/.test(listId) || Number(listId) > 2 ** 31 - 1) throw documentNotFound();
    const credential = await this.statusLists.credential(Number(listId));
    if (!credential) throw documentNotFound();
    // Verifiers must see a revocation promptly: no caching.
    sendDocument(res, VC_TYPE, credential, { cacheControl: CACHE.none });
  }
}

import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { BadgeCatalogue, documentNotFound } from '@app/badges';
import { Public } from '../common/auth.decorators.js';
import { sendImage } from './ob-response.js';

/** Badge images (PNG, or the sanitised SVG), with SPEC §2.5's Content-Security-Policy and nosniff. */
@ApiExcludeController()
@Public()
@Controller('ob/badges')
export class ObImagesController {
  constructor(private readonly catalogue: BadgeCatalogue) {}

  @Get(':slug/image')
  async image(@Param('slug') slug: string, @Res() res: Response): Promise<void> {
    const image = await this.catalogue.image(slug);
    if (!image) throw documentNotFound();
    sendImage(res, image);
  }
}

import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import { OpenDataService } from '@app/open-data';
import { Public } from '../common/auth.decorators.js';

/** Open data (SPEC §2.7), CC BY 4.0: grants as 360Giving 1.4, and participation statistics. */
@ApiTags('open data')
@Public()
@Controller('open-data')
export class OpenDataController {
  constructor(private readonly openData: OpenDataService) {}

  @Get('grants.json')
  @Header('Cache-Control', 'public, max-age=300')
  @ApiOkResponse({ description: 'A 360Giving 1.4 data package of every published funding award (amounts in pounds, GBP)' })
  grants(): Promise<Record<string, unknown>> {
    return this.openData.grantsPackage();
  }

  @Get('grants.csv')
  @Header('Content-Type', 'text/csv; charset=utf-8')
  @Header('Content-Disposition', 'attachment; filename="grants.csv"')
  @Header('Cache-Control', 'public, max-age=300')
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'The same grants with the 360Giving spreadsheet column titles (RFC 4180, UTF-8)' })
  grantsCsv(): Promise<string> {
    return this.openData.grantsCsv();
  }

  @Get('participation.csv')
  @Header('Content-Type', 'text/csv; charset=utf-8')
  @Header('Content-Disposition', 'attachment; filename="participation.csv"')
  @Header('Cache-Control', 'public, max-age=300')
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'Entrants, submitted ideas and badges by competition × region × age band × category; counts 1–4 shown as "<5", no totals' })
  participation(): Promise<string> {
    return this.openData.participationCsv();
  }
}

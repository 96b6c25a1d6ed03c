import { Body, Controller, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiCreatedResponse, ApiOkResponse, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Principal } from '@app/identity';
import { ROSTER_MAX_ROWS, RosterService, SchoolsError } from '@app/schools';
import { ApiProblems } from '../common/api-problems.decorator.js';
import { Consumes, CurrentUser } from '../common/auth.decorators.js';
import { IdParam } from '../common/dto.js';
import { ProblemDto } from '../common/problem.dto.js';
import { ClassAccess } from './class-access.guard.js';
import { RosterQueryDto, RosterResultDto } from './dto/classes.dto.js';

const EXAMPLE = 'firstName,lastName,dateOfBirth,parentEmail\r\nAmira,Khan,2013-05-04,farah.khan@example.com\r\n"Zoë","O\'Brien, Jr",17/09/2011,\r\n';

@ApiTags('classes')
@Controller('classes')
export class RosterController {
  constructor(private readonly roster: RosterService) {}

  @ClassAccess('class-teacher')
  @Post(':id/roster')
  @Consumes('text/csv')
  @ApiConsumes('text/csv')
  @ApiBody({
    description:
      `UTF-8 CSV (a BOM and CRLF line ends are fine; quote fields holding commas). Header \`firstName,lastName,dateOfBirth[,parentEmail]\`, ` +
      `then at most ${ROSTER_MAX_ROWS} rows. Dates YYYY-MM-DD or DD/MM/YYYY; entrants 11–25 today. A parentEmail is kept only for an ` +
      'under-13, whose parent is then emailed the consent request. Blank rows are skipped.',
    schema: { type: 'string', example: EXAMPLE },
  })
  @ApiCreatedResponse({
    type: RosterResultDto,
    description:
      'Every row became an entrant account without email (the importing teacher’s region, a unique username, a one-time password to ' +
      'change at first sign-in) and joined the class, in one transaction. `created` follows the CSV’s row order.',
  })
  @ApiOkResponse({ type: RosterResultDto, description: '`?dryRun=true`: the roster is valid and would fit the class; nothing was created' })
  @ApiResponse({
    status: 400,
    type: ProblemDto,
    description:
      'Nothing was created. `errors` lists every problem: `field` is `row N.<column>` for a field (e.g. `row 17.dateOfBirth`) or ' +
      '`row N` for a whole row, where N counts data rows (1 = the first row after the header, blank rows included); or `header`, ' +
      `\`rows\` (none, or more than ${ROSTER_MAX_ROWS}) or \`csv\` (unreadable). Each message starts with its row.`,
  })
  @ApiProblems(404, 409, 413, 415)
  async import(
    @CurrentUser() teacher: Principal,
    @Param() { id }: IdParam,
    @Query() query: RosterQueryDto,
    @Body() csv: unknown,
    @Res({ passthrough: true }) res: Response,
  ): Promise<RosterResultDto> {
    if (typeof csv !== 'string' || !csv.trim())
      throw SchoolsError.invalidFields([{ field: 'csv', message: 'send the roster as a text/csv body' }], 'ROSTER_INVALID');
    const result = await this.roster.import(id, teacher.userId, csv, { dryRun: query.dryRun === true });
    res.status(result.dryRun ? 200 : 201);
    return result;
  }
}

import { Controller, Get, Param } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Matches } from 'class-validator';
import type { Principal } from '@app/identity';
import { DomainError, JobStatusService } from '@app/platform';
import { ApiProblems } from '../common/api-problems.decorator.js';
import { CurrentUser, SignedIn } from '../common/auth.decorators.js';

export class JobIdParam {
  @ApiProperty({ description: 'The jobId a 202 answer returned' }) @Matches(/^[A-Za-z0-9:_-]{1,200}$/, { message: 'id is not a job id' }) id: string;
}

export class JobDto {
  @ApiProperty() id: string;
  @ApiProperty({ example: 'tally-round' }) name: string;
  @ApiProperty({ enum: ['waiting', 'active', 'completed', 'failed', 'delayed'] }) state: string;
  @ApiProperty({ description: 'Percent done (or a progress object)', oneOf: [{ type: 'number' }, { type: 'object' }] }) progress: unknown;
  @ApiProperty({ nullable: true, description: 'What the job returned, once completed' }) result: unknown;
  @ApiProperty({ nullable: true, type: String }) failedReason: string | null;
}

/** Long work (assignment, tally, publication…) answers 202 {jobId}; this follows it (SPEC §2.6). */
@ApiTags('jobs')
@SignedIn()
@Controller('jobs')
export class JobsController {
  constructor(private readonly jobs: JobStatusService) {}

  @Get(':id')
  @ApiOkResponse({ type: JobDto, description: 'Whoever started the job, and organisers' })
  @ApiProblems(400, 404)
  async get(@CurrentUser() caller: Principal, @Param() { id }: JobIdParam): Promise<JobDto> {
    const job = await this.jobs.find(id);
    if (!job || (!caller.roles.includes('organiser') && job.requestedBy !== caller.userId))
      throw new DomainError('not_found', 'JOB_NOT_FOUND', 'No such job.');
    return { id: job.id, name: job.name, state: job.state, progress: job.progress, result: job.result, failedReason: job.failedReason };
  }
}

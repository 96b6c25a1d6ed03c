import { InjectQueue, Processor } from '@nestjs/bullmq';
import type { OnApplicationBootstrap } from '@nestjs/common';
import type { Job, Queue } from 'bullmq';
import { JOBS, ProcessorHost, QUEUES, SCHEDULED_JOB_OPTIONS, isUuid, type JobData } from '@app/platform';
import { AssignmentService, PublicationService, RemindersService, RoundsService, TallyService } from '@app/judging';

/**
 * Judging's jobs: assignment, tally, results publication, and the daily scoring reminders. Thin: each
 * validates its payload and calls one service, which is idempotent (a job run twice finds nothing to
 * do). One at a time per worker — the tally of a national round holds a few hundred MB of typed
 * arrays — with a long lock, since a fit may keep the event loop busy for seconds.
 */
@Processor(QUEUES.judging, { concurrency: 1, lockDuration: 5 * 60_000 })
export class JudgingProcessor extends ProcessorHost implements OnApplicationBootstrap {
  constructor(
    private readonly assignment: AssignmentService,
    private readonly rounds: RoundsService,
    private readonly tally: TallyService,
    private readonly publication: PublicationService,
    private readonly reminders: RemindersService,
    @InjectQueue(QUEUES.judging) private readonly queue: Queue,
  ) {
    super();
  }

  /** Reminders at 09:00 London time each day: at most daily by construction (and by each notification's key). */
  async onApplicationBootstrap(): Promise<void> {
    await this.queue.upsertJobScheduler(
      'scoring-reminders',
      { pattern: '0 9 * * *', tz: 'Europe/London' },
      { name: JOBS.scoringReminders.name, data: {}, opts: { ...SCHEDULED_JOB_OPTIONS, attempts: 3, backoff: { type: 'exponential', delay: 60_000 } } },
    );
  }

  /** Runs the job; a job that finished shows 100 % (the services report their phases below that). */
  async process(job: Job): Promise<unknown> {
    const progress = async (percent: number) => {
      await job.updateProgress(percent).catch((error: unknown) => this.logger.warn({ err: error, jobId: job.id }, 'progress not recorded'));
    };
    const result = await this.run(job, progress);
    await progress(100);
    return result;
  }

  private async run(job: Job, progress: (percent: number) => Promise<void>): Promise<unknown> {
    switch (job.name) {
      case JOBS.assignJudges.name: {
        const { roundId } = (job.data ?? {}) as Partial<JobData['assignJudges']>;
        if (!isUuid(roundId)) return { skipped: 'invalid payload' };
        try {
          return await this.assignment.run(roundId, progress);
        } catch (error) {
          // Out of attempts: the round goes back to setup so an organiser can try again.
          if (job.attemptsMade + 1 >= (job.opts.attempts ?? 1)) await this.rounds.assignmentFailed(roundId);
          throw error;
        }
      }
      case JOBS.tallyRound.name: {
        const { roundId } = (job.data ?? {}) as Partial<JobData['tallyRound']>;
        if (!isUuid(roundId)) return { skipped: 'invalid payload' };
        return this.tally.run(roundId, progress);
      }
      case JOBS.publishResults.name: {
        const { competitionId } = (job.data ?? {}) as Partial<JobData['publishResults']>;
        if (!isUuid(competitionId)) return { skipped: 'invalid payload' };
        return this.publication.run(competitionId, progress);
      }
      case JOBS.scoringReminders.name:
        return this.reminders.sendDue();
      default:
        return { skipped: `unknown job ${job.name}` };
    }
  }
}

import { InjectQueue, Processor } from '@nestjs/bullmq';
import type { OnApplicationBootstrap } from '@nestjs/common';
import type { Job, Queue } from 'bullmq';
import { IdempotencyService, OutboxService, ProcessorHost, QUEUES, SCHEDULED_JOB_OPTIONS } from '@app/platform';
import { NotificationsService } from '@app/notifications';
import { RetentionService } from '@app/privacy';

/** Periodic housekeeping, scheduled once per deployment with a BullMQ job scheduler. */
@Processor(QUEUES.maintenance)
export class MaintenanceProcessor extends ProcessorHost implements OnApplicationBootstrap {
  constructor(
    private readonly outbox: OutboxService,
    private readonly idempotency: IdempotencyService,
    private readonly retention: RetentionService,
    private readonly notifications: NotificationsService,
    @InjectQueue(QUEUES.maintenance) private readonly queue: Queue,
  ) {
    super();
  }

  async onApplicationBootstrap(): Promise<void> {
    const opts = SCHEDULED_JOB_OPTIONS;
    await this.queue.upsertJobScheduler('prune-outbox', { every: 3600_000 }, { name: 'prune-outbox', opts });
    // Replayable answers are kept 24 h (SPEC §2.3), then removed.
    await this.queue.upsertJobScheduler('prune-idempotency', { every: 3600_000 }, { name: 'prune-idempotency', opts });
    // Emails whose delivery job gave up (an SMTP outage longer than its retries) go out once SMTP is back (SPEC §2.6).
    await this.queue.upsertJobScheduler('requeue-unsent-notifications', { every: 3600_000 }, { name: 'requeue-unsent-notifications', opts });
    // Daily at 03:15 London time: inactivity warnings and anonymisation (SPEC §2.1).
    await this.queue.upsertJobScheduler('retention-sweep', { pattern: '15 3 * * *', tz: 'Europe/London' }, { name: 'retention-sweep', opts });
  }

  async process(job: Job): Promise<unknown> {
    switch (job.name) {
      case 'prune-outbox':
        return { pruned: await this.outbox.prune(7) };
      case 'prune-idempotency':
        return { pruned: await this.idempotency.prune() };
      case 'requeue-unsent-notifications':
        return { requeued: await this.notifications.requeueUnsent() };
      case 'retention-sweep':
        return this.retention.sweep();
      default:
        return 'unknown-job';
    }
  }
}

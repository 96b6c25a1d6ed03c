import { InjectQueue, Processor } from '@nestjs/bullmq';
import type { OnApplicationBootstrap } from '@nestjs/common';
import type { Job, Queue } from 'bullmq';
import { OutboxService, ProcessorHost, QUEUES } from '@app/platform';

/** Periodic housekeeping, scheduled once per deployment with a BullMQ job scheduler. */
@Processor(QUEUES.maintenance)
export class MaintenanceProcessor extends ProcessorHost implements OnApplicationBootstrap {
  constructor(
    private readonly outbox: OutboxService,
    @InjectQueue(QUEUES.maintenance) private readonly queue: Queue,
  ) {
    super();
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.queue.upsertJobScheduler('prune-outbox', { every: 3600_000 }, { name: 'prune-outbox' });
  }

  async process(job: Job): Promise<unknown> {
    switch (job.name) {
      case 'prune-outbox':
        return { pruned: await this.outbox.prune(7) };
      default:
        return 'unknown-job';
    }
  }
}

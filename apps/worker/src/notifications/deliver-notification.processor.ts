import { Processor } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { ProcessorHost, QUEUES, type JobData } from '@app/platform';
import { NotificationsService } from '@app/notifications';

/** Sends one notification's email; a failure throws so BullMQ retries with backoff. */
@Processor(QUEUES.notifications, { concurrency: 8 })
export class DeliverNotificationProcessor extends ProcessorHost {
  constructor(private readonly notifications: NotificationsService) {
    super();
  }

  async process(job: Job<JobData['deliverNotification']>): Promise<string> {
    const { notificationId } = job.data ?? {};
    if (typeof notificationId !== 'string') return 'invalid-payload';
    return this.notifications.deliver(notificationId);
  }
}

import { Processor } from '@nestjs/bullmq';
import { DelayedError, UnrecoverableError, type Job } from 'bullmq';
import { ProcessorHost, QUEUES, type JobData } from '@app/platform';
import { DeliveryFailedError, NotificationBusyError, NotificationsService } from '@app/notifications';

/**
 * Sends one notification's email; a failure throws so BullMQ retries with backoff, except a permanent
 * (5xx) refusal. A job that finds another attempt's lease (say of a worker that died mid-send) waits
 * for the lease to end rather than completing, so the email is still sent.
 */
@Processor(QUEUES.notifications, { concurrency: 8 })
export class DeliverNotificationProcessor extends ProcessorHost {
  constructor(private readonly notifications: NotificationsService) {
    super();
  }

  async process(job: Job<JobData['deliverNotification']>, token?: string): Promise<string> {
    const { notificationId } = job.data ?? {};
    if (typeof notificationId !== 'string') return 'invalid-payload';
    try {
      return await this.notifications.deliver(notificationId);
    } catch (error) {
      if (error instanceof NotificationBusyError) {
        await job.moveToDelayed(error.until.getTime() + 1000, token);
        throw new DelayedError();
      }
      if (error instanceof DeliveryFailedError && error.permanent) throw new UnrecoverableError(error.code);
      throw error;
    }
  }
}

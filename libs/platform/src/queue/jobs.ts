/**
 * The one registry of queues and jobs. A job is named by its key here; producers enqueue through
 * JobQueue (directly or through the outbox), processors in apps/worker consume by queue name.
 */
export const QUEUES = {
  notifications: 'notifications',
  maintenance: 'maintenance',
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

export const JOBS = {
  deliverNotification: { queue: QUEUES.notifications, name: 'deliver-notification' },
} as const satisfies Record<string, { queue: QueueName; name: string }>;
export type JobKey = keyof typeof JOBS;

/** Payload of each job; processors validate against it. */
export interface JobData {
  deliverNotification: { notificationId: string };
}

export function isJobKey(value: string): value is JobKey {
  return Object.hasOwn(JOBS, value);
}

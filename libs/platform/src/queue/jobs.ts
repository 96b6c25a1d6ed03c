/**
 * The one registry of queues and jobs. A job is named by its key here; producers enqueue through
 * JobQueue (directly or through the outbox), processors in apps/worker consume by queue name.
 */
export const QUEUES = {
  notifications: 'notifications',
  maintenance: 'maintenance',
  badges: 'badges',
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

export const JOBS = {
  deliverNotification: { queue: QUEUES.notifications, name: 'deliver-notification' },
  awardBuiltInBadge: { queue: QUEUES.badges, name: 'award-built-in-badge' },
} as const satisfies Record<string, { queue: QueueName; name: string }>;
export type JobKey = keyof typeof JOBS;

/** Payload of each job; processors validate against it. */
export interface JobData {
  deliverNotification: { notificationId: string };
  /**
   * A domain event earning a built-in badge (SPEC §2.5), written to the outbox by the area where it
   * happens (competitions: idea-maker, team-player; judging: shortlisted, finalist, winner, judge) and
   * awarded exactly once per person and badge by the badges area.
   */
  awardBuiltInBadge: {
    badge: BuiltInBadge;
    userIds: string[];
    /** What earned it, kept as the award's evidence. */
    source: { competitionId: string; ideaId?: string; roundId?: string };
  };
}

export const BUILT_IN_BADGES = ['idea-maker', 'team-player', 'shortlisted', 'finalist', 'winner', 'judge'] as const;
export type BuiltInBadge = (typeof BUILT_IN_BADGES)[number];

export function isJobKey(value: string): value is JobKey {
  return Object.hasOwn(JOBS, value);
}

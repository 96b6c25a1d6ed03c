/**
 * The one registry of queues and jobs. A job is named by its key here; producers enqueue through
 * JobQueue (directly or through the outbox), processors in apps/worker consume by queue name.
 */
export const QUEUES = {
  notifications: 'notifications',
  maintenance: 'maintenance',
  badges: 'badges',
  judging: 'judging',
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

export const JOBS = {
  deliverNotification: { queue: QUEUES.notifications, name: 'deliver-notification' },
  awardBuiltInBadge: { queue: QUEUES.badges, name: 'award-built-in-badge' },
  assignJudges: { queue: QUEUES.judging, name: 'assign-judges' },
  tallyRound: { queue: QUEUES.judging, name: 'tally-round' },
  publishResults: { queue: QUEUES.judging, name: 'publish-results' },
  scoringReminders: { queue: QUEUES.judging, name: 'scoring-reminders' },
} as const satisfies Record<string, { queue: QueueName; name: string }>;
export type JobKey = keyof typeof JOBS;

/** Payload of each job; processors validate against it. */
export interface JobData {
  /** `priority`: BullMQ's (1 first); it travels in the payload so that jobs relayed through the outbox keep it. */
  deliverNotification: { notificationId: string; priority?: number };
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
  /** Judging (SPEC §2.4): assign the judges of a round, tally a closed round, publish a competition's results. */
  assignJudges: RequestedJob & { roundId: string };
  tallyRound: RequestedJob & { roundId: string };
  publishResults: RequestedJob & { competitionId: string };
  /** Scheduled (at most daily): remind judges with open assignments. */
  scoringReminders: Record<string, never>;
}

/**
 * Who asked for a long-running job: `GET /jobs/:id` shows a job to them and to organisers only
 * (SPEC §2.6). Jobs nobody asked for (scheduled ones) carry none.
 */
export interface RequestedJob {
  requestedBy: string;
}

export const BUILT_IN_BADGES = ['idea-maker', 'team-player', 'shortlisted', 'finalist', 'winner', 'judge'] as const;
export type BuiltInBadge = (typeof BUILT_IN_BADGES)[number];

export function isJobKey(value: string): value is JobKey {
  return Object.hasOwn(JOBS, value);
}

import { Processor } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { ProcessorHost, QUEUES, UUID, type JobData } from '@app/platform';
import { BadgeAwards, isBuiltInBadge } from '@app/badges';


/** The payload as the registry describes it, or null (a malformed job is a normal "nothing to do"). */
export function awardPayload(data: unknown): JobData['awardBuiltInBadge'] | null {
  const d = data as Partial<JobData['awardBuiltInBadge']> | null;
  if (!d || !isBuiltInBadge(d.badge)) return null;
  if (!Array.isArray(d.userIds) || !d.userIds.every((id) => typeof id === 'string' && UUID.test(id))) return null;
  const source = d.source as Record<string, unknown> | undefined;
  if (!source || typeof source.competitionId !== 'string') return null;
  if (!Object.values(source).every((v) => typeof v === 'string')) return null;
  return { badge: d.badge, userIds: d.userIds, source: d.source! };
}

/**
 * Awards a built-in badge for a domain event (SPEC §2.5). Exactly once per person and badge however often
 * the job runs (BadgeAwards.awardBuiltIn); errors throw so BullMQ retries.
 */
@Processor(QUEUES.badges, { concurrency: 4 })
export class AwardBuiltInBadgeProcessor extends ProcessorHost {
  constructor(private readonly awards: BadgeAwards) {
    super();
  }

  async process(job: Job): Promise<unknown> {
    const payload = awardPayload(job.data);
    if (!payload) return 'invalid-payload';
    const awarded = await this.awards.awardBuiltIn(payload.badge, payload.userIds, { ...payload.source });
    return { awarded: awarded.length };
  }
}

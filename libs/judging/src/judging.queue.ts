import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { OutboxService } from '@app/platform';

/**
 * Typed producer of judging's jobs (GUIDE practice 4). Each job is written to the outbox in the
 * transaction of the change that asks for it (the round now `assigning`, `closed`, the publication
 * record), so it is never lost when Redis is down, and its id — the outbox row's, which the relay
 * uses as the BullMQ jobId — can be answered in the 202 at once and looked up with GET /jobs/:id.
 */
@Injectable()
export class JudgingQueue {
  constructor(private readonly outbox: OutboxService) {}

  assign(manager: EntityManager, roundId: string, requestedBy: string): Promise<string> {
    return this.outbox.add(manager, 'assignJudges', { roundId, requestedBy });
  }

  tally(manager: EntityManager, roundId: string, requestedBy: string): Promise<string> {
    return this.outbox.add(manager, 'tallyRound', { roundId, requestedBy });
  }

  publish(manager: EntityManager, competitionId: string, requestedBy: string): Promise<string> {
    return this.outbox.add(manager, 'publishResults', { competitionId, requestedBy });
  }
}

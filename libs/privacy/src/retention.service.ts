import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '@app/platform';
import { NotificationsService } from '@app/notifications';
import { PrivacyService } from './privacy.service.js';

const DAY_MS = 24 * 3600_000;
/** Accounts inactive this long are anonymised (SPEC §2.1). */
export const RETENTION_MS = 3 * 365 * DAY_MS + DAY_MS; // three years, a leap day included
const BATCH = 200;

export interface RetentionSweep {
  warned30: number;
  warned7: number;
  erased: number;
}

/**
 * The scheduled retention job: a warning 30 days before an inactive account is anonymised, another
 * 7 days before, then the erasure. Activity at any point (AuthService) resets the stage. The stage and
 * the time of the last warning guarantee the notice periods even if the job was not run for a while.
 */
@Injectable()
export class RetentionService {
  private readonly logger = new Logger(RetentionService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly privacy: PrivacyService,
    private readonly notifications: NotificationsService,
    private readonly clock: Clock,
  ) {}

  async sweep(): Promise<RetentionSweep> {
    const now = this.clock.now();
    const warned30 = await this.warn(now, 0, 30, `last_active_at < $1`, new Date(now.getTime() - RETENTION_MS + 30 * DAY_MS));
    const warned7 = await this.warn(now, 1, 7, `retention_warned_at <= $1`, new Date(now.getTime() - 23 * DAY_MS));
    let erased = 0;
    for (;;) {
      const due: { id: string }[] = await this.dataSource.query(
        `SELECT id FROM users WHERE erased_at IS NULL AND retention_stage = 2 AND retention_warned_at <= $1 AND last_active_at < $2 LIMIT ${BATCH}`,
        [new Date(now.getTime() - 7 * DAY_MS), new Date(now.getTime() - RETENTION_MS)],
      );
      for (const { id } of due) await this.privacy.erase(id, 'retention');
      erased += due.length;
      if (due.length < BATCH) break;
    }
    if (warned30 + warned7 + erased) this.logger.log({ warned30, warned7, erased }, 'retention sweep');
    return { warned30, warned7, erased };
  }

  /** Moves accounts at `stage` matching `condition` to the next stage, notifying each. */
  private async warn(now: Date, stage: number, days: number, condition: string, bound: Date): Promise<number> {
    let total = 0;
    for (;;) {
      const warned = await this.dataSource.transaction(async (manager) => {
        const rows: { id: string; first_name: string; email: string | null; parent_email: string | null }[] = await manager.query(
          `UPDATE users SET retention_stage = ${stage + 1}, retention_warned_at = $2
            WHERE id IN (SELECT id FROM users WHERE erased_at IS NULL AND retention_stage = ${stage} AND ${condition}
                          ORDER BY last_active_at LIMIT ${BATCH} FOR UPDATE SKIP LOCKED)
            RETURNING id, first_name, email, parent_email`,
          [bound, now],
        ).then((r: unknown[]) => (Array.isArray(r[0]) ? (r[0] as never) : (r as never)));
        await this.notifications.notifyMany(
          manager,
          rows.map((u) => ({
            template: 'retention-warning' as const,
            userId: u.id,
            email: u.email ?? u.parent_email,
            inApp: true,
            dedupeKey: `retention-${days}:${u.id}:${now.toISOString().slice(0, 10)}`,
            data: { firstName: u.first_name, days, forChild: !u.email },
          })),
        );
        return rows.length;
      });
      total += warned;
      if (warned < BATCH) return total;
    }
  }
}

import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import {
  AppConfig,
  Clock,
  DomainError,
  JobQueue,
  OutboxService,
  QUEUES,
  SecretBox,
  SecretsService,
  afterCursor,
  toPage,
  type Page,
} from '@app/platform';
import { MailerService } from './mailer.service.js';
import { Notification } from './notification.entity.js';
import { TRANSACTIONAL_TEMPLATES, render, type TemplateName } from './templates.js';

export interface NotifyInput {
  template: TemplateName;
  data?: Record<string, unknown>;
  /** The account it is to or about (erasure finds it by this); shown in its inbox only with `inApp`. */
  userId?: string | null;
  /** Address to email; none means inbox only. */
  email?: string | null;
  inApp?: boolean;
  /** A single-use token for the email's link; sealed at rest and wiped after sending. */
  token?: string;
  dedupeKey?: string;
}

export type DeliveryOutcome = 'sent' | 'already-sent' | 'no-email' | 'missing';

/** Another attempt holds the send lease (it may have died mid-send): try again once the lease ends, never count it as sent. */
export class NotificationBusyError extends Error {
  constructor(readonly until: Date) {
    super('notification is being sent by another attempt');
  }
}

/**
 * A failed send, named only by its SMTP reply code or error code: the server's text often quotes the
 * recipient's address, and this message ends up in the job's failedReason, the logs and last_error.
 */
export class DeliveryFailedError extends Error {
  /** A 5xx reply: retrying the same message cannot succeed. */
  readonly permanent: boolean;

  constructor(readonly code: string, responseCode?: number) {
    super(code);
    this.permanent = responseCode !== undefined && responseCode >= 500 && responseCode < 600;
  }
}

const LEASE_MS = 2 * 60_000;
/** Unsent emails older than this whose job is gone (out of attempts, or lost) are queued again by the sweep. */
const REQUEUE_AFTER_MINUTES = 15;
/** ...unless older than this: a link in them has long expired, and the outbox keeps its rows as long. */
const REQUEUE_WITHIN_DAYS = 7;
const LIVE_JOB_STATES = new Set(['waiting', 'delayed', 'active', 'prioritized', 'waiting-children']);

@Injectable()
export class NotificationsService {
  private readonly logger = new Logger(NotificationsService.name);
  private box?: Promise<SecretBox>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly outbox: OutboxService,
    private readonly secrets: SecretsService,
    private readonly mailer: MailerService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly jobs: JobQueue,
  ) {}

  private secretBox(): Promise<SecretBox> {
    this.box ??= this.secrets.master().then((s) => new SecretBox(s, 'notification-token'));
    return this.box;
  }

  /** Records a notification and its delivery job in the caller's transaction. */
  async notify(manager: EntityManager, input: NotifyInput): Promise<string | null> {
    const [id] = await this.notifyMany(manager, [input]);
    return id ?? null; // none: a duplicate of a fan-out already recorded
  }

  /**
   * Many notifications in one statement, and their delivery jobs in another (bulk work such as a roster
   * import). Returns the ids of those recorded; duplicates of a fan-out already recorded are skipped.
   */
  async notifyMany(manager: EntityManager, inputs: NotifyInput[]): Promise<string[]> {
    if (!inputs.length) return [];
    const box = inputs.some((i) => i.token) ? await this.secretBox() : undefined;
    const result = await manager
      .createQueryBuilder()
      .insert()
      .into(Notification)
      .values(
        inputs.map((input) => ({
          userId: input.userId ?? null,
          email: input.email ?? null,
          template: input.template,
          data: (input.data ?? {}) as Record<string, any>,
          secret: input.token ? box!.seal(input.token) : null,
          inApp: Boolean(input.inApp && input.userId),
          dedupeKey: input.dedupeKey ?? null,
        })),
      )
      .orIgnore()
      .returning(['id', 'email', 'template'])
      .execute();
    const recorded = result.raw as { id: string; email: string | null; template: string }[];
    await this.queueDelivery(manager, recorded.filter((r) => r.email));
    return recorded.map((r) => r.id);
  }

  private async queueDelivery(manager: EntityManager, rows: { id: string; template: string }[]): Promise<void> {
    await this.outbox.addMany(
      manager,
      'deliverNotification',
      rows.map((r) => ({ notificationId: r.id, priority: TRANSACTIONAL_TEMPLATES.has(r.template as TemplateName) ? 1 : 10 })),
    );
  }

  /**
   * Queues again, under a fresh job id, the emails not sent whose delivery job is no longer live (it ran
   * out of attempts during a long SMTP or database outage, or was lost): delivery stays at least once.
   * Those refused for good (a 5xx reply) are left alone. Returns how many were queued.
   */
  async requeueUnsent(limit = 1000): Promise<number> {
    const candidates: { id: string; template: string }[] = await this.dataSource.query(
      `SELECT id, template FROM notification
        WHERE email IS NOT NULL AND sent_at IS NULL
          AND created_at < now() - make_interval(mins => $1) AND created_at > now() - make_interval(days => $2)
          AND (sending_until IS NULL OR sending_until < now())
          AND (last_error IS NULL OR last_error NOT LIKE 'SMTP 5%')
        ORDER BY created_at LIMIT $3`,
      [REQUEUE_AFTER_MINUTES, REQUEUE_WITHIN_DAYS, limit],
    );
    if (!candidates.length) return 0;
    const jobs: { id: string; notification_id: string; relayed_at: Date | null }[] = await this.dataSource.query(
      `SELECT id, data->>'notificationId' AS notification_id, relayed_at FROM outbox
        WHERE job = 'deliverNotification' AND data->>'notificationId' = ANY($1::text[])`,
      [candidates.map((c) => c.id)],
    );
    const queue = this.jobs.queue(QUEUES.notifications);
    const live = new Set<string>();
    for (const job of jobs) {
      if (!job.relayed_at || LIVE_JOB_STATES.has(await queue.getJobState(job.id))) live.add(job.notification_id);
    }
    const due = candidates.filter((c) => !live.has(c.id));
    if (due.length) await this.dataSource.transaction((manager) => this.queueDelivery(manager, due));
    if (due.length) this.logger.log({ requeued: due.length }, 'unsent emails queued again');
    return due.length;
  }

  /**
   * Sends the email of a notification at most once per successful SMTP acceptance. Throws
   * NotificationBusyError while another attempt holds the lease, DeliveryFailedError when SMTP refuses.
   */
  async deliver(id: string): Promise<DeliveryOutcome> {
    const leased: Notification[] = await this.dataSource.query(
      `UPDATE notification SET sending_until = now() + make_interval(secs => $2), attempts = attempts + 1
        WHERE id = $1 AND email IS NOT NULL AND sent_at IS NULL
          AND (sending_until IS NULL OR sending_until < now())
        RETURNING id, email, template, data, secret`,
      [id, LEASE_MS / 1000],
    ).then((r: [Notification[], number] | Notification[]) => (Array.isArray(r[0]) ? (r[0] as Notification[]) : (r as Notification[])));
    const n = leased[0];
    if (!n) {
      const [row] = await this.dataSource.query(`SELECT email, sent_at, sending_until FROM notification WHERE id = $1`, [id]);
      if (!row) return 'missing';
      if (row.sent_at) return 'already-sent';
      if (!row.email) return 'no-email';
      throw new NotificationBusyError(new Date(row.sending_until));
    }
    try {
      const token = n.secret ? (await this.secretBox()).open(n.secret) : undefined;
      const mail = render(n.template, n.data, { publicBaseUrl: this.config.http.publicBaseUrl, token });
      const host = new URL(this.config.http.publicBaseUrl).hostname;
      await this.mailer.send({ to: n.email!, subject: mail.subject, text: mail.text, html: mail.html, messageId: `<${n.id}@${host}>` });
    } catch (error) {
      const { responseCode, code } = error as { responseCode?: unknown; code?: unknown };
      const failure =
        typeof responseCode === 'number' ? new DeliveryFailedError(`SMTP ${responseCode}`, responseCode)
        : typeof code === 'string' ? new DeliveryFailedError(code)
        : undefined;
      await this.dataSource.query(`UPDATE notification SET sending_until = NULL, last_error = $2 WHERE id = $1`, [
        id,
        failure?.code ?? (error as Error).name,
      ]);
      throw failure ?? error;
    }
    await this.dataSource.query(
      `UPDATE notification SET sent_at = now(), sending_until = NULL, secret = NULL, last_error = NULL WHERE id = $1`,
      [id],
    );
    return 'sent';
  }

  /**
   * Messages of `template` sent to `email` before it had an account (an invitation) become that
   * account's once the address is proven theirs, so its export and erasure cover them.
   */
  async claim(manager: EntityManager, template: NotifyInput['template'], email: string, userId: string): Promise<void> {
    await manager.query(`UPDATE notification SET user_id = $3 WHERE user_id IS NULL AND template = $1 AND email = $2`, [template, email, userId]);
  }

  async inbox(userId: string, limit: number, cursor?: string): Promise<Page<InboxItem>> {
    const qb = this.dataSource
      .getRepository(Notification)
      .createQueryBuilder('n')
      .where('n.userId = :userId AND n.inApp', { userId });
    afterCursor(qb, 'n', 'createdAt', cursor);
    const rows = await qb.orderBy('n.createdAt', 'DESC').addOrderBy('n.id', 'DESC').limit(limit + 1).getMany();
    return toPage(rows, limit, (r) => r.createdAt, (r) => {
      const { inbox } = render(r.template, r.data, { publicBaseUrl: this.config.http.publicBaseUrl });
      return { id: r.id, kind: r.template, title: inbox.title, body: inbox.body, createdAt: r.createdAt, readAt: r.readAt };
    });
  }

  async markRead(userId: string, id: string): Promise<void> {
    const res = await this.dataSource.query(
      `UPDATE notification SET read_at = coalesce(read_at, $3) WHERE id = $1 AND user_id = $2 AND in_app`,
      [id, userId, this.clock.now()],
    );
    if (!res[1]) throw new DomainError('not_found', 'NOTIFICATION_NOT_FOUND', 'No such notification.');
  }
}

export interface InboxItem {
  id: string;
  kind: string;
  title: string;
  body: string;
  createdAt: Date;
  readAt: Date | null;
}

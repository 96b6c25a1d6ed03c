import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { AppConfig, AuditService, Clock } from '@app/platform';
import { AccountsService, PeopleDirectory, mayAppearInPublic, type Role } from '@app/identity';
import { NotificationsService } from '@app/notifications';
import { ClassRelations, ClassesService } from '@app/schools';
import { BadgeAward, type AwardEvidence, type AwardMethod } from './badge-award.entity.js';
import { BadgeCatalogue } from './badge-catalogue.service.js';
import { BadgeIssuer } from './badge-issuer.service.js';
import { BadgePublication } from './badge-publication.service.js';
import { BadgeClass, type BadgeCategory } from './badge.entity.js';
import { BadgesError, awardNotFound, badgeNotFound, recipientNotFound } from './badges.errors.js';
import { BUILT_IN_EVIDENCE, type BuiltInBadge } from './built-in-badges.js';
import { levelFor, levelsCrossed, type Level } from './levels.js';
import { publicTextErrors } from './public-text.js';
import { StatusListsService } from './status-lists.service.js';

/**
 * Serialises the writes about one person's awards (an award, an erasure) for the transaction: points and
 * levels stay exact, and an erasure never races an award.
 */
export async function lockRecipient(m: EntityManager, userId: string): Promise<void> {
  await m.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`badge-recipient:${userId}`]);
}

export interface AwardActor {
  userId: string;
  roles: readonly Role[];
}

export interface NewAward {
  recipientId: string;
  evidence: AwardEvidence;
}

export interface AwardView {
  id: string;
  badgeId: string;
  badge: { slug: string; name: string; category: BadgeCategory; points: number };
  recipientId: string;
  method: AwardMethod;
  evidence: AwardEvidence;
  issuedAt: Date;
  revoked: boolean;
  revokedAt: Date | null;
  revocationReason: string | null;
  /** Null until published (an under-13 needs consent first). */
  openBadges: { assertionUrl: string | null; credentialUrl: string | null };
}

export interface Progress {
  /** Live (unrevoked) awards. */
  badgeCount: number;
  points: number;
  level: Level | null;
}

export interface MyBadges extends Omit<Progress, 'badgeCount'> {
  items: AwardView[];
}

interface AwardRow {
  award: BadgeAward;
  badge: Pick<BadgeClass, 'slug' | 'name' | 'category' | 'points'>;
}

/**
 * Awarding and revoking badges (SPEC §2.5), and the points and levels they add up to. An award is recorded
 * with its notifications in one transaction; it is then published (BadgePublication), which signs its
 * credential — outside the transaction, so a slow signature never holds locks.
 */
@Injectable()
export class BadgeAwards {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly catalogue: BadgeCatalogue,
    private readonly publication: BadgePublication,
    private readonly statusLists: StatusListsService,
    private readonly issuer: BadgeIssuer,
    private readonly accounts: AccountsService,
    private readonly people: PeopleDirectory,
    private readonly classes: ClassRelations,
    private readonly teachers: ClassesService,
    private readonly notifications: NotificationsService,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  /**
   * By hand: an organiser (any badge, anyone), or a verified teacher of a class the recipient is in, for
   * a teacherAwardable badge (403 otherwise — another school's pupil included).
   */
  async award(actor: AwardActor, badgeId: string, input: NewAward): Promise<AwardView> {
    const badge = await this.authorize(actor, badgeId);
    const organiser = actor.roles.includes('organiser');
    if (!organiser && !(await this.classes.teachesAnyOf(actor.userId, [input.recipientId])))
      throw new BadgesError('forbidden', 'NOT_YOUR_STUDENT', 'Teachers award badges only to students of their own verified classes.');
    const [recipient] = await this.accounts.views([input.recipientId]);
    if (!recipient) throw recipientNotFound();
    const errors = [
      ...publicTextErrors(input.evidence.narrative, 'evidence.narrative', recipient),
      ...(input.evidence.url ? publicTextErrors(input.evidence.url, 'evidence.url', recipient) : []),
    ];
    if (errors.length) throw BadgesError.invalidFields(errors);

    const awardId = await this.record({
      badge,
      recipient: { id: recipient.id, firstName: recipient.firstName, email: recipient.emailVerified ? recipient.email : null },
      method: organiser ? 'organiser' : 'teacher',
      awardedBy: actor.userId,
      evidence: { narrative: input.evidence.narrative.trim(), ...(input.evidence.url ? { url: input.evidence.url } : {}) },
      source: null,
    });
    if (!awardId)
      throw new BadgesError('conflict', 'BADGE_ALREADY_AWARDED', 'This person already holds this badge (revoke it first to issue it again).');
    await this.publication.ensurePublished(awardId);
    return (await this.views([awardId]))[0];
  }

  /**
   * The badge, if `actor` may award it to someone: 404 for an unknown badge; 403 for anyone but an organiser
   * or a verified teacher, and for a teacher when the badge is not teacherAwardable. For the HTTP edge too,
   * which decides this before reading the body (SPEC §3); `award` then checks the recipient.
   */
  async authorize(actor: AwardActor, badgeId: string): Promise<BadgeClass> {
    const badge = await this.catalogue.get(badgeId);
    if (actor.roles.includes('organiser')) return badge;
    if (!actor.roles.includes('teacher')) throw new BadgesError('forbidden', 'ROLE_REQUIRED', 'Badges are awarded by organisers and teachers.');
    if (!badge.teacherAwardable) throw new BadgesError('forbidden', 'BADGE_NOT_TEACHER_AWARDABLE', 'Teachers cannot award this badge; an organiser can.');
    await this.teachers.assertVerifiedTeacher(actor.userId);
    return badge;
  }

  /**
   * A domain event earned a built-in badge (the awardBuiltInBadge job). Exactly once per person and badge:
   * a repeat of the event, a retry of the job, a person who already holds the badge (even revoked, for an
   * automatic award) — all add nothing. Publishing is retried on every run, so a crash between recording
   * and signing heals on the job's retry. Returns the ids of the awards this run recorded.
   */
  async awardBuiltIn(slug: BuiltInBadge, userIds: readonly string[], source: Record<string, string>): Promise<string[]> {
    const badge = await this.catalogue.bySlug(slug);
    if (!badge) throw badgeNotFound();
    const facts = await this.people.facts([...userIds]);
    const recorded: string[] = [];
    for (const userId of new Set(userIds)) {
      const person = facts.get(userId);
      if (!person || person.erased) continue;
      const id = await this.record({
        badge,
        recipient: { id: person.id, firstName: person.firstName, email: person.mailbox },
        method: 'automatic',
        awardedBy: null,
        evidence: { narrative: BUILT_IN_EVIDENCE[slug] },
        source,
      });
      if (id) recorded.push(id);
      const [automatic] = await this.dataSource.query(
        `SELECT id FROM badge_award WHERE badge_id = $1 AND recipient_id = $2 AND method = 'automatic'`,
        [badge.id, userId],
      );
      if (automatic) await this.publication.ensurePublished(automatic.id);
    }
    return recorded;
  }

  /** Organisers revoke with a reason (published in the 410 answer and the revocation list). */
  async revoke(actorId: string, awardId: string, reason: string): Promise<void> {
    const award = await this.dataSource.getRepository(BadgeAward).findOneBy({ id: awardId });
    if (!award) throw awardNotFound();
    const [recipient] = await this.accounts.views([award.recipientId]);
    const errors = recipient ? publicTextErrors(reason, 'reason', recipient) : [];
    if (errors.length) throw BadgesError.invalidFields(errors);
    await this.dataSource.transaction(async (m) => {
      // The row lock orders this against a concurrent publication (which stores only while unrevoked).
      const locked = await m.getRepository(BadgeAward).findOne({ where: { id: awardId }, lock: { mode: 'pessimistic_write' } });
      if (!locked) throw awardNotFound();
      if (locked.revokedAt) throw new BadgesError('conflict', 'BADGE_AWARD_REVOKED', 'This award is already revoked.');
      const now = this.clock.now();
      await m.getRepository(BadgeAward).update({ id: awardId }, { revokedAt: now, revokedBy: actorId, revocationReason: reason.trim() });
      if (locked.statusListId !== null && locked.statusListIndex !== null)
        await this.statusLists.revoke(m, locked.statusListId, [locked.statusListIndex]);
      await this.audit.record(
        { action: 'badge.revoked', actorId, subjectType: 'badge_award', subjectId: awardId, data: { badgeId: locked.badgeId, recipientId: locked.recipientId, reason: reason.trim() } },
        m,
      );
    });
  }

  /** GET /me/badges: every award, newest first, with points and level from the live ones. */
  async mine(userId: string): Promise<MyBadges> {
    const ids: { id: string; published_at: Date | null; revoked_at: Date | null }[] = await this.dataSource.query(
      `SELECT id, published_at, revoked_at FROM badge_award WHERE recipient_id = $1`,
      [userId],
    );
    // Awards held back for consent are published as soon as they may be.
    const waiting = ids.filter((a) => !a.published_at && !a.revoked_at);
    const person = waiting.length ? await this.people.fact(userId) : undefined;
    if (person && mayAppearInPublic(person)) for (const award of waiting) await this.publication.ensurePublished(award.id);
    const items = await this.views(ids.map((a) => a.id));
    const progress = (await this.progress([userId])).get(userId)!;
    return { items, points: progress.points, level: progress.level };
  }

  /** Badge count, points and level of each person (everyone listed, zero when they have none). */
  async progress(userIds: readonly string[]): Promise<Map<string, Progress>> {
    const unique = [...new Set(userIds)];
    const result = new Map<string, Progress>(unique.map((id) => [id, { badgeCount: 0, points: 0, level: null }]));
    if (!unique.length) return result;
    const rows: { recipient_id: string; count: number; points: number }[] = await this.dataSource.query(
      `SELECT a.recipient_id, count(*)::int AS count, coalesce(sum(b.points), 0)::int AS points
         FROM badge_award a JOIN badge_class b ON b.id = a.badge_id
        WHERE a.recipient_id = ANY($1::uuid[]) AND a.revoked_at IS NULL
        GROUP BY a.recipient_id`,
      [unique],
    );
    for (const row of rows) {
      result.set(row.recipient_id, { badgeCount: row.count, points: row.points, level: levelFor(row.points, this.config.badges.levelThresholds) });
    }
    return result;
  }

  async views(awardIds: readonly string[]): Promise<AwardView[]> {
    if (!awardIds.length) return [];
    const { entities, raw } = await this.dataSource
      .getRepository(BadgeAward)
      .createQueryBuilder('a')
      .innerJoin(BadgeClass, 'b', 'b.id = a.badgeId')
      .addSelect(['b.slug AS badge_slug', 'b.name AS badge_name', 'b.category AS badge_category', 'b.points AS badge_points'])
      .where('a.id = ANY(:ids)', { ids: [...awardIds] })
      .orderBy('a.awardedAt', 'DESC')
      .addOrderBy('a.id', 'DESC')
      .getRawAndEntities();
    return entities.map((award, i) => {
      const r = raw[i] as { badge_slug: string; badge_name: string; badge_category: BadgeCategory; badge_points: number };
      return this.view({ award, badge: { slug: r.badge_slug, name: r.badge_name, category: r.badge_category, points: r.badge_points } });
    });
  }

  private view({ award, badge }: AwardRow): AwardView {
    const published = Boolean(award.publishedAt);
    return {
      id: award.id,
      badgeId: award.badgeId,
      badge: { slug: badge.slug, name: badge.name, category: badge.category, points: badge.points },
      recipientId: award.recipientId,
      method: award.method,
      evidence: award.evidence,
      issuedAt: award.awardedAt,
      revoked: Boolean(award.revokedAt),
      revokedAt: award.revokedAt,
      revocationReason: award.revocationReason,
      openBadges: {
        assertionUrl: published ? this.issuer.urls.assertion(award.id) : null,
        credentialUrl: published ? this.issuer.urls.credential(award.id) : null,
      },
    };
  }

  /**
   * Records an award with its notifications and audit entry; null when the person already holds the
   * badge (live), or — for an automatic award — was ever awarded it automatically. Awards to one person
   * are serialised (an advisory lock) so that the points before and after, and so a level crossed, are
   * exact under concurrent awards.
   */
  private async record(input: {
    badge: BadgeClass;
    /** `email`: where to email the news, null for none (an address not yet verified). */
    recipient: { id: string; firstName: string; email: string | null };
    method: AwardMethod;
    awardedBy: string | null;
    evidence: AwardEvidence;
    source: Record<string, string> | null;
  }): Promise<string | null> {
    const { badge, recipient } = input;
    return this.dataSource.transaction(async (m) => {
      await lockRecipient(m, recipient.id);
      // Under the lock an erasure also takes first (BadgesPersonalData): an account erased meanwhile
      // is seen here and gets nothing.
      const person = await this.people.fact(recipient.id, m);
      if (!person || person.erased) return null;
      const before = await this.livePoints(m, recipient.id);
      const inserted = await m
        .createQueryBuilder()
        .insert()
        .into(BadgeAward)
        .values({
          badgeId: badge.id,
          recipientId: recipient.id,
          method: input.method,
          awardedBy: input.awardedBy,
          evidence: input.evidence,
          source: input.source,
          awardedAt: this.clock.now(),
        })
        .orIgnore()
        .returning(['id'])
        .execute();
      const id = (inserted.raw as { id: string }[])[0]?.id;
      if (!id) return null;

      const after = before + badge.points;
      await this.notifications.notify(m, {
        template: 'badge-awarded',
        userId: recipient.id,
        email: recipient.email,
        inApp: true,
        data: { firstName: recipient.firstName, badgeName: badge.name, points: badge.points, totalPoints: after },
        dedupeKey: `badge-awarded:${id}`,
      });
      const crossed = levelsCrossed(before, after, this.config.badges.levelThresholds);
      const reached = crossed[crossed.length - 1];
      if (reached) {
        await this.notifications.notify(m, {
          template: 'level-reached',
          userId: recipient.id,
          email: recipient.email,
          inApp: true,
          data: { firstName: recipient.firstName, level: reached, points: after },
          // Once per level per person, even if a revocation takes them below it and they climb back.
          dedupeKey: `badge-level:${recipient.id}:${reached}`,
        });
      }
      await this.audit.record(
        {
          action: 'badge.awarded',
          actorId: input.awardedBy,
          subjectType: 'badge_award',
          subjectId: id,
          data: { badgeId: badge.id, slug: badge.slug, recipientId: recipient.id, method: input.method },
        },
        m,
      );
      return id;
    });
  }

  private async livePoints(m: EntityManager, userId: string): Promise<number> {
    const [{ points }] = await m.query(
      `SELECT coalesce(sum(b.points), 0)::int AS points FROM badge_award a JOIN badge_class b ON b.id = a.badge_id
        WHERE a.recipient_id = $1 AND a.revoked_at IS NULL`,
      [userId],
    );
    return points;
  }
}

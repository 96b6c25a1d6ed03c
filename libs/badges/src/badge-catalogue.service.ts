import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { AuditService, afterCursor, toPage, type FieldError, type Page, type PageQuery } from '@app/platform';
import { BadgeIssuer } from './badge-issuer.service.js';
import { BadgeClass, BadgeEndorsement, type BadgeAlignment, type BadgeCategory } from './badge.entity.js';
import { BadgesError, badgeNotFound } from './badges.errors.js';
import { MAX_BADGE_IMAGE_BYTES, parseImageDataUri, sanitiseSvg, type BadgeImageMediaType } from './open-badges/index.js';

/** What describes a badge, as given and as shown. */
type BadgeText = Pick<BadgeClass, 'slug' | 'name' | 'description' | 'criteria' | 'category' | 'points'>;

export interface NewBadge extends BadgeText {
  /** PNG or SVG as a data URI, ≤ 256 KB. */
  image: string;
  teacherAwardable?: boolean;
  alignments?: BadgeAlignment[];
}

export type NewEndorsement = Pick<BadgeEndorsement, 'endorserName' | 'endorserUrl' | 'comment'>;

export interface EndorsementView extends NewEndorsement {
  id: string;
  badgeId: string;
  /** When it was added. */
  createdAt: Date;
  /** The OB 2.0 Endorsement document. */
  url: string;
}

export interface BadgeView extends BadgeText {
  id: string;
  imageUrl: string;
  /** The OB 2.0 BadgeClass, also the id of the OB 3.0 Achievement. */
  openBadgesUrl: string;
  teacherAwardable: boolean;
  alignments: BadgeAlignment[];
  builtIn: boolean;
  createdAt: Date;
  endorsements: EndorsementView[];
}

export interface BadgeImage {
  mediaType: BadgeImageMediaType;
  bytes: Buffer;
}

const isUniqueViolation = (e: unknown) => (e as { code?: string }).code === '23505';

/** The badge catalogue and its industry endorsements (SPEC §2.5). */
@Injectable()
export class BadgeCatalogue {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly issuer: BadgeIssuer,
    private readonly audit: AuditService,
  ) {}

  async create(actorId: string, input: NewBadge): Promise<BadgeView> {
    const image = badgeImageFrom(input.image);
    if (!image.ok) throw BadgesError.invalidFields(image.errors);
    try {
      return await this.dataSource.transaction(async (m) => {
        const badge = await m.getRepository(BadgeClass).save(
          m.getRepository(BadgeClass).create({
            slug: input.slug,
            name: input.name.trim(),
            description: input.description.trim(),
            criteria: input.criteria.trim(),
            category: input.category,
            points: input.points,
            imageType: image.mediaType,
            image: image.bytes,
            teacherAwardable: input.teacherAwardable ?? false,
            alignments: (input.alignments ?? []).map(({ targetName, targetUrl }) => ({ targetName: targetName.trim(), targetUrl })),
            builtIn: false,
            createdBy: actorId,
          }),
        );
        await this.audit.record(
          { action: 'badge.created', actorId, subjectType: 'badge', subjectId: badge.id, data: { slug: badge.slug, points: badge.points } },
          m,
        );
        return this.view(badge, []);
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw new BadgesError('conflict', 'BADGE_SLUG_TAKEN', `A badge with the slug "${input.slug}" exists.`);
      throw error;
    }
  }

  /** The catalogue, newest first (SPEC §3 collections). */
  async list(query: Required<Pick<PageQuery, 'limit'>> & PageQuery & { category?: BadgeCategory }): Promise<Page<BadgeView>> {
    const qb = this.dataSource.getRepository(BadgeClass).createQueryBuilder('b');
    if (query.category) qb.andWhere('b.category = :category', { category: query.category });
    afterCursor(qb, 'b', 'createdAt', query.cursor);
    const rows = await qb.orderBy('b.createdAt', 'DESC').addOrderBy('b.id', 'DESC').limit(query.limit + 1).getMany();
    const endorsements = await this.endorsementsOf(rows.slice(0, query.limit).map((b) => b.id));
    return toPage(rows, query.limit, (b) => b.createdAt, (b) => this.view(b, endorsements.get(b.id) ?? []));
  }

  async get(id: string): Promise<BadgeClass> {
    const badge = await this.dataSource.getRepository(BadgeClass).findOneBy({ id });
    if (!badge) throw badgeNotFound();
    return badge;
  }

  async bySlug(slug: string): Promise<BadgeClass | null> {
    return this.dataSource.getRepository(BadgeClass).findOneBy({ slug });
  }

  async getView(id: string): Promise<BadgeView> {
    const badge = await this.get(id);
    return this.view(badge, (await this.endorsementsOf([id])).get(id) ?? []);
  }

  async endorse(actorId: string, badgeId: string, input: NewEndorsement): Promise<EndorsementView> {
    await this.get(badgeId);
    return this.dataSource.transaction(async (m) => {
      const endorsement = await m.getRepository(BadgeEndorsement).save(
        m.getRepository(BadgeEndorsement).create({
          badgeId,
          endorserName: input.endorserName.trim(),
          endorserUrl: input.endorserUrl,
          comment: input.comment.trim(),
          createdBy: actorId,
        }),
      );
      await this.audit.record(
        { action: 'badge.endorsed', actorId, subjectType: 'badge', subjectId: badgeId, data: { endorsementId: endorsement.id, endorser: endorsement.endorserName } },
        m,
      );
      return this.endorsementView(endorsement);
    });
  }

  async endorsement(id: string): Promise<(BadgeEndorsement & { slug: string }) | null> {
    const row = await this.dataSource
      .getRepository(BadgeEndorsement)
      .createQueryBuilder('e')
      .innerJoin(BadgeClass, 'b', 'b.id = e.badgeId')
      .addSelect('b.slug', 'slug')
      .where('e.id = :id', { id })
      .getRawAndEntities();
    const entity = row.entities[0];
    return entity ? Object.assign(entity, { slug: String(row.raw[0].slug) }) : null;
  }

  /** Endorsements of each badge, oldest first. */
  async endorsementsOf(badgeIds: string[]): Promise<Map<string, EndorsementView[]>> {
    const byBadge = new Map<string, EndorsementView[]>();
    if (!badgeIds.length) return byBadge;
    const rows = await this.dataSource.getRepository(BadgeEndorsement).find({ where: { badgeId: In(badgeIds) }, order: { createdAt: 'ASC', id: 'ASC' } });
    for (const row of rows) {
      const list = byBadge.get(row.badgeId) ?? [];
      list.push(this.endorsementView(row));
      byBadge.set(row.badgeId, list);
    }
    return byBadge;
  }

  async image(slug: string): Promise<BadgeImage | null> {
    const badge = await this.dataSource
      .getRepository(BadgeClass)
      .createQueryBuilder('b')
      .select(['b.id', 'b.imageType'])
      .addSelect('b.image')
      .where('b.slug = :slug', { slug })
      .getOne();
    return badge ? { mediaType: badge.imageType, bytes: badge.image } : null;
  }

  view(badge: BadgeClass, endorsements: EndorsementView[]): BadgeView {
    return {
      id: badge.id,
      slug: badge.slug,
      name: badge.name,
      description: badge.description,
      criteria: badge.criteria,
      category: badge.category,
      points: badge.points,
      imageUrl: this.issuer.urls.badgeImage(badge.slug),
      openBadgesUrl: this.issuer.urls.badge(badge.slug),
      teacherAwardable: badge.teacherAwardable,
      alignments: badge.alignments,
      builtIn: badge.builtIn,
      createdAt: badge.createdAt,
      endorsements,
    };
  }

  private endorsementView(e: BadgeEndorsement): EndorsementView {
    return {
      id: e.id,
      badgeId: e.badgeId,
      endorserName: e.endorserName,
      endorserUrl: e.endorserUrl,
      comment: e.comment,
      createdAt: e.createdAt,
      url: this.issuer.urls.endorsement(e.id),
    };
  }
}

/**
 * A badge image from its data URI: PNG (checked structurally) or SVG (sanitised: what is stored and served
 * is the sanitiser's output, never the upload).
 */
export function badgeImageFrom(
  dataUri: string,
): { ok: true; mediaType: BadgeImageMediaType; bytes: Buffer } | { ok: false; errors: FieldError[] } {
  const parsed = parseImageDataUri(dataUri);
  if (!parsed.ok) return { ok: false, errors: parsed.problems.map((message) => ({ field: 'image', message })) };
  if (parsed.mediaType === 'image/png') return { ok: true, mediaType: parsed.mediaType, bytes: Buffer.from(parsed.bytes) };
  const clean = sanitiseSvg(parsed.bytes);
  if (!clean.ok) return { ok: false, errors: clean.problems.map((message) => ({ field: 'image', message: `The SVG was refused: ${message}` })) };
  const bytes = Buffer.from(clean.svg, 'utf8');
  if (bytes.length > MAX_BADGE_IMAGE_BYTES) return { ok: false, errors: [{ field: 'image', message: 'The sanitised SVG is larger than 256 KB.' }] };
  return { ok: true, mediaType: 'image/svg+xml', bytes };
}

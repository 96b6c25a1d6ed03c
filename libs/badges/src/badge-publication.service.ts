import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '@app/platform';
import { PeopleDirectory, mayAppearInPublic } from '@app/identity';
import { BadgeAward } from './badge-award.entity.js';
import { BadgeIssuer } from './badge-issuer.service.js';
import { BadgeClass } from './badge.entity.js';
import { BadgeCatalogue } from './badge-catalogue.service.js';
import {
  bakePng,
  bakeSvg,
  buildOb2Assertion,
  buildOb2BadgeClass,
  buildOb2Endorsement,
  buildOb2Issuer,
  buildOb2RevocationList,
  hashRecipient,
  issueOpenBadgeCredential,
  recipientIdentity,
  revokedAssertionBody,
  type Ob2Assertion,
  type Ob2BadgeClass,
  type Ob2Endorsement,
  type Ob2Issuer,
  type Ob2RevocationList,
} from './open-badges/index.js';
import { StatusListsService } from './status-lists.service.js';
import type { BadgeImage } from './badge-catalogue.service.js';
import { DocumentCache, type CachedDocument } from './document-cache.js';

/** Public credentials kept in memory (≈ 2 KB each), for this long: the documents' own max-age is 60 s. */
export const CREDENTIAL_CACHE = { maxEntries: 20_000, ttlMs: 30_000 } as const;

export type AssertionAnswer =
  | { state: 'live'; document: Ob2Assertion }
  | { state: 'revoked'; document: ReturnType<typeof revokedAssertionBody> };

export interface BakedImage {
  mediaType: BadgeImage['mediaType'];
  bytes: Buffer;
}

type PublishedAward = BadgeAward & { slug: string };

/**
 * The public side of awards: publishing (hashing the recipient, allocating a status index, signing and
 * storing the OB 3.0 credential) and every Open Badges document served on PUBLIC_BASE_URL. A document
 * exists only for a published award whose recipient may currently have public credentials; anything else
 * is "not found", indistinguishable from an id that never existed.
 */
@Injectable()
export class BadgePublication {
  private readonly credentials = new DocumentCache(CREDENTIAL_CACHE.maxEntries, CREDENTIAL_CACHE.ttlMs);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly issuer: BadgeIssuer,
    private readonly catalogue: BadgeCatalogue,
    private readonly statusLists: StatusListsService,
    private readonly people: PeopleDirectory,
    private readonly clock: Clock,
  ) {}

  /**
   * Publishes an award if it is not yet published, is not revoked and its recipient may have public
   * credentials; true when it is published afterwards. Idempotent and safe to race: the credential is
   * stored only if none is, and a revocation (which locks the award row) wins over a late store.
   * Awards held back for consent are published by the first call after consent, from any path that
   * shows them (the award job, GET /me/badges, the public documents).
   */
  async ensurePublished(awardId: string): Promise<boolean> {
    const award = await this.dataSource.getRepository(BadgeAward).findOneBy({ id: awardId });
    if (!award) return false;
    if (award.publishedAt) return true;
    if (award.revokedAt) return false;
    const person = await this.people.fact(award.recipientId);
    if (!person || person.erased || !mayAppearInPublic(person)) return false;

    const badge = await this.catalogue.get(award.badgeId);
    const recipient = hashRecipient(recipientIdentity({ userId: person.id, email: person.email }));
    const { listId, index } = await this.statusLists.allocate();
    const urls = this.issuer.urls;
    const now = this.clock.now();
    const credential = await issueOpenBadgeCredential(
      {
        id: urls.credential(award.id),
        issuer: { id: urls.issuerV3, ...this.issuer.profile },
        validFrom: award.awardedAt,
        recipient,
        achievement: {
          id: urls.badge(badge.slug),
          name: badge.name,
          description: badge.description,
          criteria: { narrative: badge.criteria },
          image: { id: urls.badgeImage(badge.slug), caption: badge.name },
          alignments: badge.alignments,
          tags: [badge.category],
        },
        evidence: [{ narrative: award.evidence.narrative, ...(award.evidence.url ? { id: award.evidence.url } : {}) }],
        status: { statusListCredential: urls.statusList(listId), statusListIndex: index },
      },
      await this.issuer.signOptions(now),
    );
    const [, stored] = await this.dataSource.query(
      `UPDATE badge_award SET credential = $2, status_list_id = $3, status_list_index = $4,
              recipient_kind = $5, recipient_salt = $6, recipient_hash = $7, published_at = $8
        WHERE id = $1 AND published_at IS NULL AND revoked_at IS NULL`,
      [award.id, JSON.stringify(credential), listId, index, recipient.kind, recipient.salt, recipient.identityHash, now],
    );
    if (stored) return true;
    // Lost a race: another process published it first (fine), or it was revoked meanwhile (not published).
    const [row] = await this.dataSource.query(`SELECT published_at FROM badge_award WHERE id = $1`, [award.id]);
    return Boolean(row?.published_at);
  }

  /**
   * The signed OB 3.0 credential as stored (revoked ones stay served: revocation is in the status list),
   * or null when not public. Served often by verifiers, so kept in memory for a short while (see
   * CREDENTIAL_CACHE); `cachedCredential` answers from memory alone.
   */
  async credential(awardId: string): Promise<CachedDocument | null> {
    const cached = this.credentials.get(awardId);
    if (cached) return cached;
    const award = await this.visible(awardId, { credential: true });
    return award?.credential ? this.credentials.set(awardId, award.credential) : null;
  }

  cachedCredential(awardId: string): CachedDocument | undefined {
    return this.credentials.get(awardId);
  }

  /** Drops a credential from this process's memory (other processes let it expire: CREDENTIAL_CACHE). */
  forgetCached(awardId: string): void {
    this.credentials.delete(awardId);
  }

  /** The OB 2.0 hosted assertion, or its revocation (410), or null when not public. */
  async assertion(awardId: string): Promise<AssertionAnswer | null> {
    const award = await this.visible(awardId);
    if (!award) return null;
    const url = this.issuer.urls.assertion(award.id);
    if (award.revokedAt) return { state: 'revoked', document: revokedAssertionBody(url, award.revocationReason ?? '') };
    return { state: 'live', document: this.ob2Assertion(award) };
  }

  /** The badge image with the OB 2.0 assertion baked in (null: not public; 'revoked': the assertion is gone). */
  async bakedAssertionImage(awardId: string): Promise<BakedImage | AssertionAnswer | null> {
    const answer = await this.assertion(awardId);
    if (!answer || answer.state === 'revoked') return answer;
    const award = answer.document;
    const image = await this.badgeImageOf(awardId);
    if (!image) return null;
    return bake(image, { version: '2.0', assertionUrl: award.id, assertion: award });
  }

  /** The badge image with the OB 3.0 credential baked in, or null when not public. */
  async bakedCredentialImage(awardId: string): Promise<BakedImage | null> {
    const credential = await this.credential(awardId);
    if (!credential) return null;
    const image = await this.badgeImageOf(awardId);
    if (!image) return null;
    return bake(image, { version: '3.0', credential: JSON.parse(credential.body.toString('utf8')) as object });
  }

  ob2Issuer(): Ob2Issuer {
    const { profile, urls } = this.issuer;
    return buildOb2Issuer({ id: urls.issuerV2, ...profile, revocationList: urls.revocations });
  }

  async ob2BadgeClass(slug: string): Promise<Ob2BadgeClass | null> {
    const badge = await this.catalogue.bySlug(slug);
    if (!badge) return null;
    const endorsements = (await this.catalogue.endorsementsOf([badge.id])).get(badge.id) ?? [];
    const urls = this.issuer.urls;
    return buildOb2BadgeClass({
      id: urls.badge(badge.slug),
      name: badge.name,
      description: badge.description,
      image: urls.badgeImage(badge.slug),
      criteria: { narrative: badge.criteria },
      issuer: urls.issuerV2,
      alignments: badge.alignments,
      tags: [badge.category],
      endorsements: endorsements.map((e) => e.url),
    });
  }

  async ob2Endorsement(id: string): Promise<Ob2Endorsement | null> {
    const endorsement = await this.catalogue.endorsement(id);
    if (!endorsement) return null;
    const urls = this.issuer.urls;
    return buildOb2Endorsement({
      id: urls.endorsement(endorsement.id),
      claimId: urls.badge(endorsement.slug),
      comment: endorsement.comment,
      endorser: { name: endorsement.endorserName, url: endorsement.endorserUrl },
      issuedOn: endorsement.createdAt,
    });
  }

  /** Every revoked award that had been published, oldest revocation first. */
  async revocationList(): Promise<Ob2RevocationList> {
    const rows: { id: string; revocation_reason: string | null }[] = await this.dataSource.query(
      `SELECT id, revocation_reason FROM badge_award
        WHERE revoked_at IS NOT NULL AND published_at IS NOT NULL ORDER BY revoked_at, id`,
    );
    const urls = this.issuer.urls;
    return buildOb2RevocationList({
      id: urls.revocations,
      issuer: urls.issuerV2,
      revoked: rows.map((r) => ({ id: urls.assertion(r.id), revocationReason: r.revocation_reason ?? '' })),
    });
  }

  /**
   * A published award whose recipient may have public credentials now, publishing it first when it was
   * held back (for consent) and may be published now.
   */
  private async visible(awardId: string, options: { credential?: boolean } = {}): Promise<PublishedAward | null> {
    let award = await this.load(awardId, options.credential ?? false);
    if (!award) return null;
    const person = await this.people.fact(award.recipientId);
    if (!person || !mayAppearInPublic(person)) return null;
    if (!award.publishedAt) {
      if (!(await this.ensurePublished(awardId))) return null;
      award = await this.load(awardId, options.credential ?? false);
    }
    return award?.publishedAt ? award : null;
  }

  private async load(awardId: string, withCredential: boolean): Promise<PublishedAward | null> {
    const qb = this.dataSource
      .getRepository(BadgeAward)
      .createQueryBuilder('a')
      .innerJoin(BadgeClass, 'b', 'b.id = a.badgeId')
      .addSelect('b.slug', 'slug')
      .where('a.id = :id', { id: awardId });
    if (withCredential) qb.addSelect('a.credential');
    const { entities, raw } = await qb.getRawAndEntities();
    return entities[0] ? Object.assign(entities[0], { slug: String(raw[0].slug) }) : null;
  }

  private async badgeImageOf(awardId: string): Promise<BadgeImage | null> {
    const award = await this.load(awardId, false);
    return award ? this.catalogue.image(award.slug) : null;
  }

  private ob2Assertion(award: PublishedAward): Ob2Assertion {
    const urls = this.issuer.urls;
    return buildOb2Assertion({
      id: urls.assertion(award.id),
      recipient: { kind: award.recipientKind!, salt: award.recipientSalt!, identityHash: award.recipientHash! },
      badge: urls.badge(award.slug),
      issuedOn: award.awardedAt,
      evidence: [{ narrative: award.evidence.narrative, ...(award.evidence.url ? { id: award.evidence.url } : {}) }],
      image: urls.assertionImage(award.id),
      issuerId: urls.issuerV2,
    });
  }
}

function bake(image: BadgeImage, payload: Parameters<typeof bakePng>[1]): BakedImage {
  if (image.mediaType === 'image/png') return { mediaType: 'image/png', bytes: Buffer.from(bakePng(image.bytes, payload)) };
  return { mediaType: 'image/svg+xml', bytes: Buffer.from(bakeSvg(image.bytes.toString('utf8'), payload), 'utf8') };
}

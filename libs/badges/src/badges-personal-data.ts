import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { Clock, type PersonalDataHolder } from '@app/platform';
import { BadgeAwards, lockRecipient } from './badge-awards.service.js';
import { BadgePublication } from './badge-publication.service.js';
import { StatusListsService } from './status-lists.service.js';

/** The revocation reason published for the awards of an erased account. */
export const ERASED_REASON = 'The recipient closed their account.';

/**
 * A person's badge awards. Erasure (SPEC §2.1) revokes their credentials — status bits set, lists
 * re-signed, assertions answering 410 — and wipes what identified them: the stored credential (its
 * recipient hash and evidence), the hash and salt, the evidence narrative and what earned automatic
 * awards. The award rows stay, so the counts of awards do.
 */
@Injectable()
export class BadgesPersonalData implements PersonalDataHolder {
  readonly section = 'badges';

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly awards: BadgeAwards,
    private readonly publication: BadgePublication,
    private readonly statusLists: StatusListsService,
    private readonly clock: Clock,
  ) {}

  async exportFor(userId: string) {
    const rows: { id: string; recipient_kind: string | null; recipient_salt: string | null; recipient_hash: string | null }[] =
      await this.dataSource.query(`SELECT id, recipient_kind, recipient_salt, recipient_hash FROM badge_award WHERE recipient_id = $1`, [userId]);
    const recipients = new Map(rows.map((r) => [r.id, r]));
    const progress = (await this.awards.progress([userId])).get(userId)!;
    const awards = (await this.awards.views(rows.map((r) => r.id))).map((award) => {
      const recipient = recipients.get(award.id)!;
      return {
        ...award,
        // How the published documents name them: proof that a credential is theirs.
        recipientIdentity: recipient.recipient_hash
          ? { type: recipient.recipient_kind, hash: recipient.recipient_hash, salt: recipient.recipient_salt }
          : null,
      };
    });
    return { awards, points: progress.points, level: progress.level };
  }

  /**
   * Takes the person's award lock first: an award being recorded finishes before the erasure goes on
   * (so the erasure wipes it and its notifications), and one that starts later sees the erasure. The
   * privacy area runs this holder before the notifications one for that reason.
   */
  async forget(manager: EntityManager, userId: string): Promise<void> {
    await lockRecipient(manager, userId);
    const live: { id: string; status_list_id: number | null; status_list_index: number | null }[] = await manager.query(
      `SELECT id, status_list_id, status_list_index FROM badge_award WHERE recipient_id = $1 AND revoked_at IS NULL FOR UPDATE`,
      [userId],
    );
    await manager.query(
      `UPDATE badge_award SET revoked_at = $2, revocation_reason = $3 WHERE recipient_id = $1 AND revoked_at IS NULL`,
      [userId, this.clock.now(), ERASED_REASON],
    );
    const byList = new Map<number, number[]>();
    for (const award of live)
      if (award.status_list_id !== null && award.status_list_index !== null)
        byList.set(award.status_list_id, [...(byList.get(award.status_list_id) ?? []), award.status_list_index]);
    for (const [listId, indices] of byList) await this.statusLists.revoke(manager, listId, indices);
    // An UPDATE … RETURNING answers [rows, count] through TypeORM's query().
    const [all]: [{ id: string }[], number] = await manager.query(
      `UPDATE badge_award SET credential = NULL, recipient_salt = NULL, recipient_hash = NULL, source = NULL,
              evidence = '{"narrative":"[removed]"}'::jsonb
        WHERE recipient_id = $1 RETURNING id`,
      [userId],
    );
    for (const { id } of all) this.publication.forgetCached(id);
  }
}

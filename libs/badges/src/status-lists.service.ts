import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { Clock } from '@app/platform';
import { BadgeIssuer } from './badge-issuer.service.js';
import {
  STATUS_LIST_MIN_LENGTH,
  allocateStatusIndex,
  createStatusList,
  issueStatusListCredential,
  setRevoked,
  statusListFromBytes,
  statusListToBytes,
  type UsedIndices,
} from './open-badges/index.js';
import { BadgeStatusList } from './status-list.entity.js';

/** Reads bit `index` of a bitmap stored most significant bit first (the Bitstring Status List order). */
function bitIsSet(bits: Uint8Array, index: number): boolean {
  return (bits[index >> 3] & (0x80 >> (index & 7))) !== 0;
}

function setBit(bits: Uint8Array, index: number): void {
  bits[index >> 3] |= 0x80 >> (index & 7);
}

/**
 * Bitstring Status Lists of the platform's credentials (SPEC §2.5). Indices are allocated at random from
 * a bitmap kept next to the list (so a list never has to be rebuilt from the awards), in short
 * transactions that lock only the list row; revoking sets the bit and re-signs the list in the
 * revocation's transaction.
 */
@Injectable()
export class StatusListsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly issuer: BadgeIssuer,
    private readonly clock: Clock,
  ) {}

  /**
   * Takes a random free index of the first list with room (a new list when all are full). Committed on
   * its own: an index whose credential is never stored stays unused and unrevoked, which is harmless.
   */
  async allocate(): Promise<{ listId: number; index: number }> {
    return this.dataSource.transaction(async (m) => {
      let [row]: { id: number; length: number; allocated: Buffer; allocated_count: number }[] = await m.query(
        `SELECT id, length, allocated, allocated_count FROM badge_status_list
          WHERE allocated_count < length ORDER BY id LIMIT 1 FOR UPDATE`,
      );
      if (!row) row = await this.createList(m);
      const bits = new Uint8Array(row.allocated);
      const used: UsedIndices = { has: (i) => bitIsSet(bits, i), size: row.allocated_count };
      const index = allocateStatusIndex(used, { length: row.length });
      setBit(bits, index);
      await m.query(`UPDATE badge_status_list SET allocated = $2, allocated_count = allocated_count + 1 WHERE id = $1`, [
        row.id,
        Buffer.from(bits),
      ]);
      return { listId: row.id, index };
    });
  }

  /** Sets the revocation bits of `indices` and re-signs the list once, in the caller's transaction. */
  async revoke(m: EntityManager, listId: number, indices: readonly number[]): Promise<void> {
    const [row]: { revoked: Buffer }[] = await m.query(`SELECT revoked FROM badge_status_list WHERE id = $1 FOR UPDATE`, [listId]);
    if (!row) throw new Error(`status list ${listId} is missing`);
    const list = statusListFromBytes(row.revoked);
    for (const index of indices) setRevoked(list, index, true);
    const credential = await this.sign(listId, list);
    await m.query(`UPDATE badge_status_list SET revoked = $2, credential = $3, updated_at = now() WHERE id = $1`, [
      listId,
      Buffer.from(statusListToBytes(list)),
      credential,
    ]);
  }

  /** The signed BitstringStatusListCredential as served, or null. */
  async credential(listId: number): Promise<string | null> {
    const [row]: { credential: string }[] = await this.dataSource.query(`SELECT credential FROM badge_status_list WHERE id = $1`, [listId]);
    return row?.credential ?? null;
  }

  private async createList(m: EntityManager): Promise<{ id: number; length: number; allocated: Buffer; allocated_count: number }> {
    const length = STATUS_LIST_MIN_LENGTH;
    const empty = Buffer.alloc(length / 8);
    const [{ id }]: { id: number }[] = await m.query(
      `INSERT INTO badge_status_list (length, allocated, revoked, credential) VALUES ($1, $2, $2, '') RETURNING id`,
      [length, empty],
    );
    const credential = await this.sign(id, createStatusList(length));
    await m.query(`UPDATE badge_status_list SET credential = $2 WHERE id = $1`, [id, credential]);
    return { id, length, allocated: empty, allocated_count: 0 };
  }

  private async sign(listId: number, list: ReturnType<typeof createStatusList>): Promise<string> {
    const now = this.clock.now();
    const signed = await issueStatusListCredential(
      { id: this.issuer.urls.statusList(listId), list, validFrom: now },
      await this.issuer.signOptions(now),
    );
    return JSON.stringify(signed);
  }
}

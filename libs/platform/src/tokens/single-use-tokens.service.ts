import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { Clock } from '../clock/clock.js';
import { randomToken, sha256Hex } from '../crypto/tokens.js';
import { DomainError } from '../errors/domain-error.js';
import { SingleUseToken } from './single-use-token.entity.js';

export interface TokenInput {
  subjectId?: string | null;
  ttlMs: number;
  data?: Record<string, unknown>;
}

export interface IssuedToken {
  id: string;
  token: string;
}

/** Issues and redeems emailed single-use tokens (≥ 256 bits, stored hashed). */
@Injectable()
export class SingleUseTokens {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  async issue(manager: EntityManager, purpose: string, input: TokenInput): Promise<IssuedToken> {
    const [issued] = await this.issueMany(manager, purpose, [input]);
    return issued;
  }

  /** Many tokens of one purpose in one statement, in the order of `inputs`. */
  async issueMany(manager: EntityManager, purpose: string, inputs: TokenInput[]): Promise<IssuedToken[]> {
    if (!inputs.length) return [];
    const now = this.clock.now().getTime();
    const tokens = inputs.map(() => randomToken());
    const res = await manager.getRepository(SingleUseToken).insert(
      inputs.map((input, i) => ({
        purpose,
        tokenHash: sha256Hex(tokens[i]),
        subjectId: input.subjectId ?? null,
        data: (input.data ?? {}) as Record<string, any>,
        expiresAt: new Date(now + input.ttlMs),
      })),
    );
    return tokens.map((token, i) => ({ id: res.identifiers[i].id as string, token }));
  }

  /** Reads a live token without spending it (pages that only show what a link is about). */
  async peek(purpose: string, token: string, manager: EntityManager = this.dataSource.manager): Promise<SingleUseToken> {
    const row = await manager.getRepository(SingleUseToken).findOneBy({ purpose, tokenHash: sha256Hex(token) });
    return this.assertLive(row);
  }

  /** Spends a token, once: a second use, an expired or an unknown token is refused. */
  async consume(manager: EntityManager, purpose: string, token: string): Promise<SingleUseToken> {
    const row = await manager
      .getRepository(SingleUseToken)
      .createQueryBuilder('t')
      .setLock('pessimistic_write')
      .where('t.purpose = :purpose AND t.tokenHash = :hash', { purpose, hash: sha256Hex(token) })
      .getOne();
    const live = this.assertLive(row);
    await manager.getRepository(SingleUseToken).update({ id: live.id }, { usedAt: this.clock.now() });
    return live;
  }

  /** Spends every live token of a purpose for a subject (a newer link replaces older ones). */
  async revokeFor(manager: EntityManager, purpose: string, subjectId: string): Promise<void> {
    await manager
      .createQueryBuilder()
      .update(SingleUseToken)
      .set({ usedAt: this.clock.now() })
      .where('purpose = :purpose AND subject_id = :subjectId AND used_at IS NULL', { purpose, subjectId })
      .execute();
  }

  private assertLive(row: SingleUseToken | null): SingleUseToken {
    if (!row) throw new DomainError('not_found', 'TOKEN_NOT_FOUND', 'This link is not valid.');
    if (row.usedAt) throw new DomainError('gone', 'TOKEN_USED', 'This link has already been used.');
    if (row.expiresAt <= this.clock.now()) throw new DomainError('gone', 'TOKEN_EXPIRED', 'This link has expired.');
    return row;
  }
}

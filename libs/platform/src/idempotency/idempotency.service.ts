import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '../clock/clock.js';
import { sha256Hex } from '../crypto/tokens.js';
import { DomainError } from '../errors/domain-error.js';
import { IdempotencyRecord } from './idempotency-record.entity.js';

const TTL_MS = 24 * 3600_000;

export type Claim = { kind: 'new'; id: string } | { kind: 'replay'; status: number; body: unknown };

export interface IdempotentRequest {
  userId: string;
  route: string;
  key: string;
  /** Everything that makes the request what it is (path parameters and body). */
  request: unknown;
}

/**
 * Idempotency keys per user and route, kept 24 h: a repeat returns the first answer (errors included),
 * a repeat while the first is still running → 409, the same key with another request → 422.
 */
@Injectable()
export class IdempotencyService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  async claim(req: IdempotentRequest): Promise<Claim> {
    const now = this.clock.now();
    const requestHash = sha256Hex(JSON.stringify(req.request ?? null));
    const repo = this.dataSource.getRepository(IdempotencyRecord);
    await repo
      .createQueryBuilder()
      .delete()
      .where('user_id = :userId AND route = :route AND key = :key AND expires_at <= :now', { ...req, now })
      .execute();
    const inserted = await repo
      .createQueryBuilder()
      .insert()
      .values({ userId: req.userId, route: req.route, key: req.key, requestHash, expiresAt: new Date(now.getTime() + TTL_MS) })
      .orIgnore()
      .returning(['id'])
      .execute();
    const id = inserted.raw[0]?.id as string | undefined;
    if (id) return { kind: 'new', id };

    const existing = await repo.findOneByOrFail({ userId: req.userId, route: req.route, key: req.key });
    if (existing.requestHash !== requestHash)
      throw new DomainError('unprocessable', 'IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was used with a different request.');
    if (existing.responseStatus === null)
      throw new DomainError('conflict', 'IDEMPOTENCY_IN_PROGRESS', 'A request with this Idempotency-Key is still in progress.');
    return { kind: 'replay', status: existing.responseStatus, body: existing.responseBody };
  }

  async complete(id: string, status: number, body: unknown): Promise<void> {
    await this.dataSource.getRepository(IdempotencyRecord).update({ id }, { responseStatus: status, responseBody: (body ?? null) as object });
  }

  /** Forgets a claim whose request failed unexpectedly, so the client may retry with the same key. */
  async release(id: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM idempotency_record WHERE id = $1 AND response_status IS NULL`, [id]);
  }

  async prune(): Promise<number> {
    const res = await this.dataSource.getRepository(IdempotencyRecord).createQueryBuilder().delete().where('expires_at <= :now', { now: this.clock.now() }).execute();
    return res.affected ?? 0;
  }
}

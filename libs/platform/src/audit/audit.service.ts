import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { afterCursor, toPage, type Page } from '../database/pagination.js';
import { AuditEntry } from './audit-entry.entity.js';

export interface AuditRecord {
  action: string;
  actorId?: string | null;
  subjectType?: string;
  subjectId?: string | null;
  /** Codes, ids and reasons only: never passwords, tokens or a child's personal data. */
  data?: Record<string, unknown>;
}

export interface AuditFilter {
  action?: string;
  actorId?: string;
  subjectId?: string;
  since?: Date;
  limit: number;
  cursor?: string;
}

@Injectable()
export class AuditService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Writes in the caller's transaction when given one, so the record and the change commit together. */
  async record(entry: AuditRecord, manager: EntityManager = this.dataSource.manager): Promise<void> {
    await this.recordMany([entry], manager);
  }

  /** Many entries in one statement (bulk work such as a roster import). */
  async recordMany(entries: AuditRecord[], manager: EntityManager = this.dataSource.manager): Promise<void> {
    if (!entries.length) return;
    await manager.getRepository(AuditEntry).insert(
      entries.map((entry) => ({
        action: entry.action,
        actorId: entry.actorId ?? null,
        subjectType: entry.subjectType ?? null,
        subjectId: entry.subjectId ?? null,
        data: (entry.data ?? {}) as Record<string, any>,
      })),
    );
  }

  async list(filter: AuditFilter): Promise<Page<AuditEntry>> {
    const qb = this.dataSource.getRepository(AuditEntry).createQueryBuilder('a');
    if (filter.action) qb.andWhere('a.action = :action', { action: filter.action });
    if (filter.actorId) qb.andWhere('a.actorId = :actorId', { actorId: filter.actorId });
    if (filter.subjectId) qb.andWhere('a.subjectId = :subjectId', { subjectId: filter.subjectId });
    if (filter.since) qb.andWhere('a.at >= :since', { since: filter.since });
    afterCursor(qb, 'a', 'at', filter.cursor);
    const rows = await qb.orderBy('a.at', 'DESC').addOrderBy('a.id', 'DESC').limit(filter.limit + 1).getMany();
    return toPage(rows, filter.limit, (r) => r.at, (r) => r);
  }
}

import { Logger } from '@nestjs/common';
import type { Logger as TypeOrmLoggerInterface } from 'typeorm';

/**
 * TypeORM's own logger would print failed queries with their parameters: emails, names, hashes.
 * This one logs the SQL text and the database's error only, never the values.
 */
export class SqlLogger implements TypeOrmLoggerInterface {
  private readonly logger = new Logger('Database');

  logQuery(): void {}

  logQueryError(error: string | Error, query: string): void {
    const e = error as Error & { code?: string; constraint?: string };
    // Unique violations are expected outcomes (handled as 409s or retries): keep them quiet.
    const level = e.code === '23505' ? 'debug' : 'error';
    this.logger[level]({ code: e.code, constraint: e.constraint, sql: query.slice(0, 500) }, e.message ?? String(error));
  }

  logQuerySlow(time: number, query: string): void {
    this.logger.warn({ ms: time, sql: query.slice(0, 500) }, 'slow query');
  }

  logSchemaBuild(): void {}

  logMigration(message: string): void {
    this.logger.log(message);
  }

  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    if (level === 'warn') this.logger.warn(String(message));
  }
}

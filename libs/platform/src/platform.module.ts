import { type DynamicModule, Global, Module } from '@nestjs/common';
import { BullModule } from '@nestjs/bullmq';
import type { RedisOptions as BullRedisOptions } from 'bullmq';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from './config/app-config.js';
import { Clock } from './clock/clock.js';
import { dataSourceOptions, ensureDatabase } from './database/database.js';
import { AuditEntry } from './audit/audit-entry.entity.js';
import { AuditService } from './audit/audit.service.js';
import { AuditPersonalData } from './audit/audit-personal-data.js';
import { IdempotencyPersonalData } from './idempotency/idempotency-personal-data.js';
import { OutboxMessage } from './outbox/outbox-message.entity.js';
import { OutboxService } from './outbox/outbox.service.js';
import { AppLogger, createRootLogger } from './logging/logging.js';
import { JobQueue } from './queue/job-queue.js';
import { JobStatusService } from './queue/job-status.service.js';
import { QUEUES } from './queue/jobs.js';
import { AttemptCounter } from './rate-limit/attempt-counter.js';
import { RedisClient, redisOptions } from './redis/redis.js';
import { PlatformSecret } from './secrets/platform-secret.entity.js';
import { SecretsService } from './secrets/secrets.service.js';
import { SingleUseToken } from './tokens/single-use-token.entity.js';
import { IdempotencyRecord } from './idempotency/idempotency-record.entity.js';
import { IdempotencyService } from './idempotency/idempotency.service.js';
import { SingleUseTokens } from './tokens/single-use-tokens.service.js';

export const platformEntities = [OutboxMessage, AuditEntry, PlatformSecret, SingleUseToken, IdempotencyRecord];

const services = [Clock, RedisClient, AttemptCounter, JobQueue, JobStatusService, OutboxService, AuditService, SecretsService, SingleUseTokens, IdempotencyService, AuditPersonalData, IdempotencyPersonalData];

/** Cross-cutting infrastructure shared by the API, the worker and the CLI. */
@Global()
@Module({})
export class PlatformModule {
  static forRoot(config: AppConfig = AppConfig.load()): DynamicModule {
    return {
      module: PlatformModule,
      imports: [
        TypeOrmModule.forRootAsync({
          useFactory: async () => {
            await ensureDatabase(config.db.url);
            return { ...dataSourceOptions(config.db.url, { poolSize: config.db.poolSize }), autoLoadEntities: true };
          },
        }),
        TypeOrmModule.forFeature(platformEntities),
        BullModule.forRoot({ connection: redisOptions(config.redis.url) as BullRedisOptions, prefix: `${config.redis.prefix}:bull` }),
        BullModule.registerQueue(...Object.values(QUEUES).map((name) => ({ name }))),
      ],
      providers: [
        { provide: AppConfig, useValue: config },
        { provide: AppLogger, useValue: new AppLogger(createRootLogger(config, 'young-ideas')) },
        ...services,
      ],
      exports: [AppConfig, AppLogger, ...services, BullModule, TypeOrmModule],
    };
  }
}

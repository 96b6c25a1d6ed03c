import { Test } from '@nestjs/testing';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { INestApplicationContext } from '@nestjs/common';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { getDataSourceToken } from '@nestjs/typeorm';
import { AppConfig, AppLogger, Clock, createRootLogger } from '@app/platform';
import { ApiModule } from '../../apps/api/src/api.module.js';
import { API_APP_OPTIONS, configureApiApp } from '../../apps/api/src/app.factory.js';
import { WorkerModule } from '../../apps/worker/src/worker.module.js';
import { MailCapture } from './mail-capture.js';
import { testConfig } from './test-env.js';

export interface TestApp {
  config: AppConfig;
  app: NestExpressApplication;
  worker?: INestApplicationContext;
  /** One clock shared by the API and the worker; move it to cross deadlines. */
  clock: Clock;
  mail: MailCapture;
  db: DataSource;
  http: () => ReturnType<typeof request>;
  close: () => Promise<void>;
}

/**
 * Boots the API as production does, on its own database and Redis prefix, with a real SMTP capture
 * server and (unless `worker: false`) the worker processing real BullMQ jobs.
 */
export async function startTestApp(options: { worker?: boolean; env?: Record<string, string> } = {}): Promise<TestApp> {
  const mail = new MailCapture();
  const smtpUrl = await mail.start();
  const config = await testConfig({ SMTP_URL: smtpUrl, ...options.env });
  const clock = new Clock();
  const logger = new AppLogger(createRootLogger(config, 'test'));

  const apiModule = await Test.createTestingModule({ imports: [ApiModule.forRoot(config)] })
    .overrideProvider(Clock)
    .useValue(clock)
    .setLogger(logger)
    .compile();
  const app = configureApiApp(apiModule.createNestApplication<NestExpressApplication>(API_APP_OPTIONS), config);
  await app.init();

  let worker: INestApplicationContext | undefined;
  if (options.worker !== false) {
    const workerModule = await Test.createTestingModule({ imports: [WorkerModule.forRoot(config)] })
      .overrideProvider(Clock)
      .useValue(clock)
      .setLogger(logger)
      .compile();
    worker = await workerModule.init();
  }

  const server = app.getHttpServer();
  return {
    config,
    app,
    worker,
    clock,
    mail,
    db: app.get<DataSource>(getDataSourceToken()),
    http: () => request(server),
    close: async () => {
      await worker?.close();
      await app.close();
      await mail.stop();
    },
  };
}

import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AppConfig, AppLogger } from '@app/platform';
import { WorkerModule } from './worker.module.js';

const config = AppConfig.load();
const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), { bufferLogs: true });
app.useLogger(app.get(AppLogger));
// SIGTERM/SIGINT: BullMQ workers finish their active jobs, then connections close.
app.enableShutdownHooks();
await app.init();

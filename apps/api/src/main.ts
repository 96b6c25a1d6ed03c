import 'reflect-metadata';
import { AppConfig } from '@app/platform';
import { createApiApp } from './app.factory.js';

const config = AppConfig.load();
const app = await createApiApp(config);
await app.listen(config.http.port);

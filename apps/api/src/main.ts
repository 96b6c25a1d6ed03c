import 'reflect-metadata';
import { AppConfig } from '@app/platform';
import { ApiModule } from './api.module.js';
import { createApiApp } from './app.factory.js';

const config = AppConfig.load();
const app = await createApiApp(ApiModule.forRoot(config), config);
await app.listen(config.http.port);

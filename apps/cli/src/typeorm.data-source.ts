// For the TypeORM CLI only (npm run migration:generate): the configured database, every entity.
import { AppConfig } from '@app/platform';
import { createDataSource } from './data-source.js';

export default createDataSource(AppConfig.load().db.url);

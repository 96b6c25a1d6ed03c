export * from './open-data.service.js';
export * from './open-data.module.js';
export * from './csv.js';

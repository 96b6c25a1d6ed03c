export * from './privacy.service.js';
export * from './retention.service.js';
export * from './privacy.module.js';

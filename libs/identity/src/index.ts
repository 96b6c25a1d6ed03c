export * from './people.js';
export * from './user.entity.js';
export * from './identity.errors.js';
export * from './password.service.js';
export * from './accounts.service.js';
export * from './auth.service.js';
export * from './consent.service.js';
export { ONE_TIME_PASSWORD_BITS } from './one-time-passwords.js';
export * from './identity.module.js';

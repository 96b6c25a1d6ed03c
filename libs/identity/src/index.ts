export * from './people.js';
export * from './user.entity.js';
export * from './identity.errors.js';
export * from './password.service.js';
export * from './accounts.service.js';
export * from './auth.service.js';
export * from './directory.service.js';
export * from './identity.module.js';

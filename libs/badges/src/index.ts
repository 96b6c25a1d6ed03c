// Public API of the badges library: the pure Open Badges core, and the Nest module with its services.
export * from './open-badges/index.js';
export * from './badge.entity.js';
export * from './badge-award.entity.js';
export * from './status-list.entity.js';
export * from './badges.errors.js';
export * from './ob-urls.js';
export * from './levels.js';
export * from './public-text.js';
export * from './document-cache.js';
export * from './built-in-badges.js';
export * from './badge-issuer.service.js';
export * from './status-lists.service.js';
export * from './badge-catalogue.service.js';
export * from './badge-publication.service.js';
export * from './badge-awards.service.js';
export * from './badges-personal-data.js';
export * from './badges.module.js';

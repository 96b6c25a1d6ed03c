export * from './notifications.module.js';
export * from './notifications.service.js';
export * from './notifications-personal-data.js';
export { TEMPLATES, TRANSACTIONAL_TEMPLATES, type TemplateName, render, escapeHtml } from './templates.js';

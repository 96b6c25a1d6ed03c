// Public API of the badges library. For now: the pure Open Badges core (no database, HTTP or Nest).
export * from './open-badges/index.js';

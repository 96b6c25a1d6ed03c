import type { EntityManager } from 'typeorm';

/**
 * An area that holds personal data implements this, so export (GET /me/export) and erasure (DELETE /me,
 * and the retention job) reach everything without the privacy area knowing anyone's tables.
 */
export interface PersonalDataHolder {
  /** The key of this area's section in the export. */
  readonly section: string;
  /** Everything this area holds about the person, as plain JSON. */
  exportFor(userId: string): Promise<unknown>;
  /**
   * Removes or anonymises it in the erasure's transaction, keeping counts (entries, scores, awards)
   * intact.
   */
  forget(manager: EntityManager, userId: string): Promise<void>;
}

/** Injection token for the list of holders the privacy area collects. */
export const PERSONAL_DATA_HOLDERS = Symbol('PERSONAL_DATA_HOLDERS');

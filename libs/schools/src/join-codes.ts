import { randomFromAlphabet } from '@app/platform';

/** No vowels (so no words), no 0/1/O/I (so nothing to misread) (SPEC §2.2). */
export const JOIN_CODE_ALPHABET = 'BCDFGHJKLMNPQRSTVWXZ23456789';
export const JOIN_CODE_LENGTH = 8;

/** A fresh random join code: 8 × log2(28) ≈ 38 bits. */
export const newJoinCode = (): string => randomFromAlphabet(JOIN_CODE_ALPHABET, JOIN_CODE_LENGTH);

const SHAPE = new RegExp(`^[${JOIN_CODE_ALPHABET}]{${JOIN_CODE_LENGTH}}$`);

/** A typed code as stored (upper case, spaces and hyphens dropped), or null when it cannot be one. */
export function normaliseJoinCode(typed: string): string | null {
  const code = typed.toUpperCase().replace(/[\s-]/g, '');
  return SHAPE.test(code) ? code : null;
}

import type { FieldError } from '@app/platform';

/*
 * Evidence narratives and revocation reasons are written by people and published in badge documents that
 * anyone can read (the 410 answer and revocation list carry the reason). SPEC §2.1: public output never
 * holds a surname, an email address, a postcode or an internal username. What the platform can check, it
 * refuses with a 400, naming the field: any email address or UK postcode, and the recipient's own surname
 * and username. A first name is allowed (it is part of the public display name).
 */

const EMAIL = /[^\s@<>()[\]]+@[^\s@<>()[\]]+\.[a-z]{2,}/i;
// A full UK postcode, with or without its space (SW1A 1AA, M1 1AE, B33 8TH, CR2 6XH, DN55 1PT).
const POSTCODE = /\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b/i;

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function containsWord(text: string, word: string): boolean {
  const trimmed = word.trim();
  if (trimmed.length < 2) return false;
  return new RegExp(`(^|[^\\p{L}\\p{N}])${escapeRegExp(trimmed)}($|[^\\p{L}\\p{N}])`, 'iu').test(text);
}

export interface RecipientPrivateFacts {
  lastName: string;
  username?: string | null;
}

/** Why `text` may not be published about this recipient (empty when it may). */
export function publicTextErrors(text: string, field: string, recipient: RecipientPrivateFacts): FieldError[] {
  const errors: FieldError[] = [];
  if (EMAIL.test(text)) errors.push({ field, message: `${field} is published: it must not contain an email address` });
  if (POSTCODE.test(text)) errors.push({ field, message: `${field} is published: it must not contain a postcode` });
  const surnameParts = recipient.lastName.split(/[\s-]+/).filter((part) => part.length >= 3);
  if (containsWord(text, recipient.lastName) || surnameParts.some((part) => containsWord(text, part)))
    errors.push({ field, message: `${field} is published: it must not contain the recipient's surname` });
  if (recipient.username && containsWord(text, recipient.username))
    errors.push({ field, message: `${field} is published: it must not contain the recipient's username` });
  return errors;
}

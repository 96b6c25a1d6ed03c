import type { FieldError } from '@app/platform';

/** Vocabulary about people: roles, regions, age bands, display names (SPEC §1, §2.1). */
export const ROLES = ['entrant', 'teacher', 'judge', 'organiser'] as const;
export type Role = (typeof ROLES)[number];

/** The UK's twelve ITL1 regions: the finest location the platform holds about anyone. */
export const REGIONS = [
  'north-east',
  'north-west',
  'yorkshire-humber',
  'east-midlands',
  'west-midlands',
  'east-of-england',
  'london',
  'south-east',
  'south-west',
  'wales',
  'scotland',
  'northern-ireland',
] as const;
export type Region = (typeof REGIONS)[number];

export const AGE_BANDS = ['U13', '13-17', '18+'] as const;
export type AgeBand = (typeof AGE_BANDS)[number];

export const CONSENT_STATUSES = ['not_required', 'pending', 'granted', 'refused'] as const;
export type ConsentStatus = (typeof CONSENT_STATUSES)[number];

/** How a consent decision was made: a parent through the emailed link, or a verified teacher's attestation. */
export const CONSENT_METHODS = ['parent_link', 'school_attestation'] as const;
export type ConsentMethod = (typeof CONSENT_METHODS)[number];

export const ENTRANT_MIN_AGE = 11;
export const ENTRANT_MAX_AGE = 25;
export const ADULT_AGE = 18;
export const CONSENT_AGE = 13;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar date written YYYY-MM-DD. */
export function isCalendarDate(value: string): boolean {
  const m = ISO_DATE.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  return d.getUTCFullYear() === +m[1] && d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3];
}

/** Whole years from `dateOfBirth` to `on` (both YYYY-MM-DD); a 29 February birthday counts on 1 March. */
export function ageOn(dateOfBirth: string, on: string): number {
  const [by, bm, bd] = dateOfBirth.split('-').map(Number);
  const [y, m, d] = on.split('-').map(Number);
  let age = y - by;
  if (m < bm || (m === bm && d < bd)) age -= 1;
  return age;
}

/**
 * Why a date of birth is refused for a new (or corrected) account of this type, as at `today`:
 * entrants 11–25, teachers 18+ (SPEC §2.1).
 */
export function dateOfBirthErrors(dateOfBirth: string, accountType: 'entrant' | 'teacher', today: string, field = 'dateOfBirth'): FieldError[] {
  if (!isCalendarDate(dateOfBirth) || dateOfBirth > today) return [{ field, message: `${field} must be a past date written YYYY-MM-DD` }];
  const age = ageOn(dateOfBirth, today);
  if (accountType === 'entrant' && (age < ENTRANT_MIN_AGE || age > ENTRANT_MAX_AGE))
    return [{ field, message: `entrants must be ${ENTRANT_MIN_AGE} to ${ENTRANT_MAX_AGE} years old` }];
  if (accountType === 'teacher' && age < ADULT_AGE) return [{ field, message: `teachers must be at least ${ADULT_AGE} years old` }];
  return [];
}

export const NAME_MAX_LENGTH = 50;
// Letters of any script and their marks, spaces, hyphens, apostrophes, dots and commas ("Zoë", "O'Brien", "Smith, Jr.").
const PERSON_NAME = /^[\p{L}\p{M}][\p{L}\p{M}'’ .,-]*$/u;

/** Why a first or last name is refused (names arriving outside a DTO, such as roster rows). */
export function nameErrors(value: string, field: string): FieldError[] {
  const length = [...value].length;
  if (length < 1 || length > NAME_MAX_LENGTH) return [{ field, message: `${field} must be 1 to ${NAME_MAX_LENGTH} characters long` }];
  if (!PERSON_NAME.test(value)) return [{ field, message: `${field} may hold letters, spaces, hyphens, apostrophes, dots and commas only` }];
  return [];
}

/** Accounts without a date of birth (judges, organisers) are adults attested by an organiser. */
export function ageBand(dateOfBirth: string | null, today: string): AgeBand {
  if (!dateOfBirth) return '18+';
  const age = ageOn(dateOfBirth, today);
  return age < CONSENT_AGE ? 'U13' : age < ADULT_AGE ? '13-17' : '18+';
}

/**
 * The consent status as of today: consent is for under-13s only, so from 13 on (a birthday passed, or a
 * date of birth corrected) it is `not_required`, whatever was recorded — a parent's refusal included.
 */
export function effectiveConsent(status: ConsentStatus, dateOfBirth: string | null, today: string): ConsentStatus {
  return ageBand(dateOfBirth, today) === 'U13' ? status : 'not_required';
}

/**
 * SPEC §2.1: until a parent's consent is granted, an under-13 appears in no public listing and is issued
 * no public badge credential. Older entrants and adults always may. Checked whenever public output is
 * built, so consent refused or withdrawn, or a date of birth corrected to under 13, hides them again.
 */
export function mayAppearInPublic(person: { ageBand: AgeBand; consentStatus: ConsentStatus }): boolean {
  return person.ageBand !== 'U13' || person.consentStatus === 'granted';
}

const MAX_EXTRA_LETTERS = 3;

/** The surname letters a display name may ever show: the initial and up to 3 more, but never the whole surname (past its initial). */
function showableSurname(lastName: string): string[] {
  const surname = [...lastName.trim()];
  return surname.slice(0, Math.max(1, Math.min(1 + MAX_EXTRA_LETTERS, surname.length - 1)));
}

/** "Amira K." — first name and surname initial (with up to `extraLetters` more, never the whole surname). */
export function displayName(firstName: string, lastName: string, extraLetters = 0): string {
  const surname = showableSurname(lastName);
  if (!surname.length) return firstName.trim();
  return `${firstName.trim()} ${surname.slice(0, 1 + extraLetters).join('')}.`;
}

/**
 * Display names for one list: first name + initial, with up to 3 more surname letters only where
 * they tell two people apart (SPEC §2.1). Each person shows one letter past the longest start of
 * the surname they share with someone of the same first name whose showable letters differ, so any
 * two such people end up with different names. People whose showable letters are the same (two
 * "Amira Khan"s, or "Khan" and "Khal") cannot be told apart without revealing more, so no letters are
 * added for that: they look alike, as a numbered suffix would say nothing true about who is who.
 */
export function displayNames(people: { firstName: string; lastName: string }[]): string[] {
  const shown = people.map((p) => showableSurname(p.lastName));
  const byFirstName = new Map<string, string[][]>();
  people.forEach((p, i) => {
    const first = p.firstName.trim();
    if (!byFirstName.has(first)) byFirstName.set(first, []);
    byFirstName.get(first)!.push(shown[i]);
  });
  return people.map((p, i) => {
    const own = shown[i];
    let extra = 0;
    for (const other of byFirstName.get(p.firstName.trim())!) {
      let shared = 0;
      while (shared < own.length && own[shared] === other[shared]) shared++;
      if (shared < Math.max(own.length, other.length)) extra = Math.max(extra, shared);
    }
    return displayName(p.firstName, p.lastName, extra);
  });
}

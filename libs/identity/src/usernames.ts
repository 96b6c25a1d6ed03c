import { randomInt } from 'node:crypto';

/** A readable username stem: "amira.k" from Amira Khan (letters and digits only, accents dropped). */
export function usernameStem(firstName: string, lastName: string): string {
  const clean = (s: string) =>
    s
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]/g, '');
  const first = clean(firstName).slice(0, 16) || 'user';
  const last = clean(lastName).slice(0, 1);
  return last ? `${first}.${last}` : first;
}

/** Candidate usernames: the stem with a growing random number, e.g. amira.k42, amira.k917. */
export function usernameCandidates(stem: string, count = 8): string[] {
  return Array.from({ length: count }, (_, i) => `${stem}${randomInt(10 ** (2 + Math.floor(i / 3)), 10 ** (3 + Math.floor(i / 3)))}`);
}

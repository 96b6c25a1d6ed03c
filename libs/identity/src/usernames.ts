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

/**
 * For each list of candidates, the first one neither `taken` nor already picked for an earlier list
 * (undefined when none is free), so one query of taken names serves a whole batch.
 */
export function pickUsernames(candidateLists: string[][], taken: ReadonlySet<string>): (string | undefined)[] {
  const picked = new Set<string>();
  return candidateLists.map((candidates) => {
    const free = candidates.find((c) => !taken.has(c) && !picked.has(c));
    if (free) picked.add(free);
    return free;
  });
}

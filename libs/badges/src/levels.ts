/** Award levels from total points (SPEC §2.5): Bronze, Silver, Gold at configurable thresholds. */
export const LEVELS = ['bronze', 'silver', 'gold'] as const;
export type Level = (typeof LEVELS)[number];

/** The level reached with `points`, given ascending thresholds [bronze, silver, gold]; null below bronze. */
export function levelFor(points: number, thresholds: readonly [number, number, number]): Level | null {
  let level: Level | null = null;
  LEVELS.forEach((name, i) => {
    if (points >= thresholds[i]) level = name;
  });
  return level;
}

/** The levels newly reached going from `before` to `after` points, lowest first (none when going down). */
export function levelsCrossed(before: number, after: number, thresholds: readonly [number, number, number]): Level[] {
  return LEVELS.filter((_, i) => before < thresholds[i] && after >= thresholds[i]);
}

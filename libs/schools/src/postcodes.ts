// A UK postcode: outward code (area letters, district digit and an optional letter or digit), then the
// inward code (a digit and two letters), e.g. SW1A 1AA, M1 1AE, B33 8TH; plus the special GIR 0AA.
const POSTCODE = /^(?:[A-Z]{1,2}\d[A-Z\d]?|GIR) ?\d[A-Z]{2}$/;

/** "sw1a1aa" → "SW1A 1AA"; null when it is not a UK postcode. */
export function normalisePostcode(typed: string): string | null {
  const compact = typed.toUpperCase().replace(/\s+/g, '');
  if (!POSTCODE.test(compact)) return null;
  return `${compact.slice(0, -3)} ${compact.slice(-3)}`;
}

/** The school's unique reference number: 6 digits. */
export const isUrn = (value: string): boolean => /^\d{6}$/.test(value);

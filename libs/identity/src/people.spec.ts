import { describe, expect, it } from '@jest/globals';
import { ageBand, ageOn, displayName, displayNames, effectiveConsent, isCalendarDate } from './people.js';

describe('ages', () => {
  it('counts whole years, a birthday counting on the day', () => {
    expect(ageOn('2013-06-15', '2026-06-14')).toBe(12);
    expect(ageOn('2013-06-15', '2026-06-15')).toBe(13);
    expect(ageOn('2013-06-15', '2026-12-31')).toBe(13);
  });

  it('treats a 29 February birthday as reached on 1 March in common years', () => {
    expect(ageOn('2012-02-29', '2025-02-28')).toBe(12);
    expect(ageOn('2012-02-29', '2025-03-01')).toBe(13);
    expect(ageOn('2012-02-29', '2024-02-29')).toBe(12);
  });

  it('derives the age band at each boundary, adults without a birth date being 18+', () => {
    expect(ageBand('2014-01-02', '2027-01-01')).toBe('U13');
    expect(ageBand('2014-01-01', '2027-01-01')).toBe('13-17');
    expect(ageBand('2009-01-02', '2027-01-01')).toBe('13-17');
    expect(ageBand('2009-01-01', '2027-01-01')).toBe('18+');
    expect(ageBand(null, '2027-01-01')).toBe('18+');
  });

  it('a pending under-13 who turns 13 no longer needs consent; other states stay', () => {
    expect(effectiveConsent('pending', '2014-01-01', '2026-12-31')).toBe('pending');
    expect(effectiveConsent('pending', '2014-01-01', '2027-01-01')).toBe('not_required');
    expect(effectiveConsent('refused', '2014-01-01', '2027-01-01')).toBe('refused');
    expect(effectiveConsent('granted', '2014-01-01', '2026-01-01')).toBe('granted');
  });

  it('accepts only real calendar dates', () => {
    expect(isCalendarDate('2012-02-29')).toBe(true);
    expect(isCalendarDate('2013-02-29')).toBe(false);
    expect(isCalendarDate('2013-13-01')).toBe(false);
    expect(isCalendarDate('13/01/2013')).toBe(false);
  });
});

describe('display names', () => {
  it('is the first name and surname initial', () => {
    expect(displayName('Amira', 'Khan')).toBe('Amira K.');
    expect(displayName(' Zoë ', 'Ødegaard')).toBe('Zoë Ø.');
  });

  it('adds surname letters only where two people in one list would look alike, at most 3 more', () => {
    expect(
      displayNames([
        { firstName: 'Sam', lastName: 'Jones' },
        { firstName: 'Sam', lastName: 'Johnson' },
        { firstName: 'Sam', lastName: 'Smith' },
        { firstName: 'Ava', lastName: 'Jones' },
      ]),
    ).toEqual(['Sam Jon.', 'Sam Joh.', 'Sam S.', 'Ava J.']);
    // identical names stay identical after 3 extra letters: nothing more is revealed
    expect(displayNames([{ firstName: 'Li', lastName: 'Wang' }, { firstName: 'Li', lastName: 'Wang' }])).toEqual(['Li Wang.', 'Li Wang.']);
  });
});

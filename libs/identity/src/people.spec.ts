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

  it('keeps an under-13’s consent status; from 13 on it is not_required, whatever was recorded', () => {
    for (const status of ['pending', 'granted', 'refused'] as const) {
      expect(effectiveConsent(status, '2014-01-01', '2026-12-31')).toBe(status);
      expect(effectiveConsent(status, '2014-01-01', '2027-01-01')).toBe('not_required');
      expect(effectiveConsent(status, '2009-01-01', '2027-01-01')).toBe('not_required');
      expect(effectiveConsent(status, null, '2027-01-01')).toBe('not_required');
    }
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
  });

  const names = (...full: string[]) => displayNames(full.map((n) => ({ firstName: n.split(' ')[0], lastName: n.split(' ').slice(1).join(' ') })));

  it('adds no letters for identical names: they cannot be told apart, and the surname stays unpublished', () => {
    expect(names('Amira Khan', 'Amira Khan')).toEqual(['Amira K.', 'Amira K.']);
    expect(names('Li Wang', 'Li Wang')).toEqual(['Li W.', 'Li W.']);
    // added only as far as they separate them from someone else
    expect(names('Amira Khan', 'Amira Khan', 'Amira Kelly')).toEqual(['Amira Kh.', 'Amira Kh.', 'Amira Ke.']);
  });

  it('never shows a whole surname, so names differing only at its last letter stay alike', () => {
    expect(names('Amira Khan', 'Amira Khal')).toEqual(['Amira K.', 'Amira K.']);
    expect(names('Sam Jones', 'Sam Jonas')).toEqual(['Sam Jone.', 'Sam Jona.']);
    expect(names('Sam Jones', 'Sam Jonas', 'Sam Johnson')).toEqual(['Sam Jone.', 'Sam Jona.', 'Sam Joh.']);
    expect(displayName('Li', 'Wang', 3)).toBe('Li Wan.');
  });

  it('handles short surnames: at most all but their last letter', () => {
    expect(names('Bo Ng', 'Bo Ny')).toEqual(['Bo N.', 'Bo N.']);
    expect(names('Bo Ng', 'Bo Ma')).toEqual(['Bo N.', 'Bo M.']);
    expect(names('Jo Lee', 'Jo Lim', 'Jo Lea')).toEqual(['Jo Le.', 'Jo Li.', 'Jo Le.']);
    expect(names('Jo Li', 'Jo Lindqvist')).toEqual(['Jo L.', 'Jo Li.']);
    expect(names('Jo O', 'Jo O')).toEqual(['Jo O.', 'Jo O.']); // a one-letter surname is its own initial
  });

  it('adds at most 3 letters after the initial', () => {
    expect(names('Sam Robertson', 'Sam Robinson')).toEqual(['Sam Robe.', 'Sam Robi.']);
    expect(names('Sam Robertson', 'Sam Robertsen', 'Sam Roberts')).toEqual(['Sam R.', 'Sam R.', 'Sam R.']);
    expect(displayName('Sam', 'Robertson', 8)).toBe('Sam Robe.');
  });
});

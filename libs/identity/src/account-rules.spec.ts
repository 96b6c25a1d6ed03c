import { describe, expect, it } from '@jest/globals';
import { rosterEntrantErrors } from './accounts.service.js';
import { secondsUntilLondonMidnight } from '@app/platform';
import { dateOfBirthErrors, nameErrors } from './people.js';
import { pickUsernames } from './usernames.js';

const TODAY = '2026-06-15';

describe('date of birth rules', () => {
  it('want a real past date', () => {
    for (const d of ['2013-02-30', '15/06/2013', '2027-01-01']) expect(dateOfBirthErrors(d, 'entrant', TODAY)[0].message).toMatch(/past date/);
  });

  it('bound entrants to 11–25 and teachers to 18+, as of today', () => {
    expect(dateOfBirthErrors('2015-06-15', 'entrant', TODAY)).toEqual([]); // 11 today
    expect(dateOfBirthErrors('2015-06-16', 'entrant', TODAY)[0].message).toBe('entrants must be 11 to 25 years old');
    expect(dateOfBirthErrors('2000-06-16', 'entrant', TODAY)).toEqual([]); // 25
    expect(dateOfBirthErrors('2000-06-15', 'entrant', TODAY)).toHaveLength(1); // 26 today
    expect(dateOfBirthErrors('2008-06-16', 'teacher', TODAY)[0].message).toBe('teachers must be at least 18 years old');
    expect(dateOfBirthErrors('2008-06-15', 'teacher', TODAY, 'dob')).toEqual([]);
    expect(dateOfBirthErrors('bad', 'teacher', TODAY, 'dob')[0].field).toBe('dob');
  });
});

describe('name rules', () => {
  it('accept letters of any script, marks, spaces, hyphens, apostrophes, dots and commas', () => {
    for (const n of ['Zoë', "O'Brien, Jr.", 'Núñez-García', 'Siân', 'Zoe\u0308', '李', 'Mary Ann', 'D’Souza']) expect(nameErrors(n, 'lastName')).toEqual([]);
  });

  it('refuse empty, long, digit and symbol names, and names starting with punctuation', () => {
    expect(nameErrors('', 'firstName')[0].message).toMatch(/1 to 50/);
    expect(nameErrors('a'.repeat(51), 'firstName')[0].message).toMatch(/1 to 50/);
    for (const n of ['R2D2', 'Amira!', '-Amira', '<b>', 'Li "Lily"']) expect(nameErrors(n, 'firstName')).toHaveLength(1);
  });

  it('make up the roster rules with the entrant age bounds', () => {
    expect(rosterEntrantErrors({ firstName: '', lastName: 'Khan', dateOfBirth: '2020-01-01' }, TODAY).map((e) => e.field)).toEqual(['firstName', 'dateOfBirth']);
    expect(rosterEntrantErrors({ firstName: 'Amira', lastName: 'Khan', dateOfBirth: '2013-05-04', parentEmail: 'x@y.z' }, TODAY)).toEqual([]);
  });
});

describe('username batches', () => {
  it('pick the first free candidate of each list, never the same one twice', () => {
    const lists = [
      ['amira.k101', 'amira.k102', 'amira.k103'],
      ['amira.k101', 'amira.k102', 'amira.k104'],
      ['amira.k102', 'amira.k101'],
    ];
    expect(pickUsernames(lists, new Set(['amira.k101']))).toEqual(['amira.k102', 'amira.k104', undefined]);
  });
});

describe('the daily consent allowance', () => {
  it('renews at the next Europe/London midnight', () => {
    expect(secondsUntilLondonMidnight(new Date('2026-01-15T23:00:00Z'))).toBe(3600); // GMT
    expect(secondsUntilLondonMidnight(new Date('2026-07-15T22:30:00Z'))).toBe(1800); // BST: 23:30 in London
    expect(secondsUntilLondonMidnight(new Date('2026-07-15T23:00:00Z'))).toBe(86_400); // just past midnight
  });
});

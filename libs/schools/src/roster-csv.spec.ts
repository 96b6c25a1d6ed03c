import { describe, expect, it } from '@jest/globals';
import { ROSTER_MAX_ROWS, parseDateOfBirth, parseRoster, personKey, rowField } from './roster-csv.js';

const TODAY = '2026-06-15';
const HEADER = 'firstName,lastName,dateOfBirth,parentEmail';

describe('dates of birth', () => {
  it('read YYYY-MM-DD and DD/MM/YYYY (day first), with one-digit days and months', () => {
    expect(parseDateOfBirth('2013-05-04')).toBe('2013-05-04');
    expect(parseDateOfBirth('04/05/2013')).toBe('2013-05-04');
    expect(parseDateOfBirth('4/5/2013')).toBe('2013-05-04');
    expect(parseDateOfBirth('2013-5-4')).toBe('2013-05-04');
    expect(parseDateOfBirth('29/02/2012')).toBe('2012-02-29');
  });

  it('refuse impossible dates and other shapes', () => {
    for (const v of ['31/02/2013', '2013-13-01', '29/02/2013', '05-04-2013', '2013/05/04', '4 May 2013', '', '13/05/13']) expect(parseDateOfBirth(v)).toBeNull();
  });
});

describe('reading a roster', () => {
  it('tolerates a BOM, CRLF, quoted commas, doubled quotes, accents, blank lines and header case', () => {
    const csv = '\uFEFFFirstName,LASTNAME,dateofbirth\r\n"Zoë","O\'Brien, Jr",04/05/2013\r\n\r\nAmélie,"Núñez",2012-01-31\r\n,,\r\n';
    const { rows, errors } = parseRoster(csv, TODAY);
    expect(errors).toEqual([]);
    expect(rows).toEqual([
      { row: 1, firstName: 'Zoë', lastName: "O'Brien, Jr", dateOfBirth: '2013-05-04', parentEmail: null },
      { row: 3, firstName: 'Amélie', lastName: 'Núñez', dateOfBirth: '2012-01-31', parentEmail: null },
    ]);
  });

  it('accepts the columns in any order, and normalises names to NFC', () => {
    const decomposed = 'Zoe\u0308';
    const { rows } = parseRoster(`dateOfBirth,lastName,firstName\n2013-05-04,Smith,${decomposed}\n`, TODAY);
    expect(rows[0].firstName).toBe('Zoë');
    expect(rows[0].firstName).toHaveLength(3);
  });

  it('names every bad row and field, numbering data rows from 1 after the header', () => {
    const lines = Array.from({ length: 20 }, (_, i) => `Pupil,Number,2013-01-${String(i + 1).padStart(2, '0')},`);
    lines[16] = 'Pupil,Number,2013-02-30,';
    lines[2] = ',Number,2013-01-03,';
    lines[5] = 'Pupil,Number,2013-01-06,not-an-email';
    lines[7] = 'Pupil,Number,2020-01-01,';
    lines[9] = 'Pupil,Number,2013-01-10';
    const { rows, errors } = parseRoster([HEADER, ...lines].join('\n'), TODAY);
    expect(rows).toEqual([]);
    expect(errors.map((e) => e.field)).toEqual(['row 3.firstName', 'row 6.parentEmail', 'row 8.dateOfBirth', 'row 10', 'row 17.dateOfBirth']);
    expect(errors.find((e) => e.field === 'row 8.dateOfBirth')!.message).toBe('row 8: entrants must be 11 to 25 years old');
    expect(errors.find((e) => e.field === 'row 10')!.message).toBe('row 10: has 3 fields where the header has 4');
    expect(errors.find((e) => e.field === 'row 17.dateOfBirth')!.message).toMatch(/^row 17: dateOfBirth must be a real past date/);
  });

  it('refuses future dates and names with digits or symbols', () => {
    const { errors } = parseRoster(`${HEADER}\nR2D2,Smith,2027-01-01,\n`, TODAY);
    expect(errors.map((e) => e.field)).toEqual(['row 1.dateOfBirth', 'row 1.firstName']);
  });

  it('refuses a row repeating an earlier one (same name and date of birth), ignoring case', () => {
    const { errors } = parseRoster(`${HEADER}\nAmira,Khan,2013-05-04,\nSam,Lee,2013-05-04,\nAMIRA,khan,04/05/2013,\n`, TODAY);
    expect(errors).toEqual([{ field: 'row 3', message: 'row 3: repeats row 1 (same name and date of birth)' }]);
  });

  it('refuses a row naming someone already in the class, listed with the other bad rows in row order', () => {
    const inClass = new Set([personKey({ firstName: 'amira', lastName: 'KHAN', dateOfBirth: '2013-05-04' })]);
    const { rows, errors } = parseRoster(`${HEADER}\nSam,Lee,2013-02-30,\nAmira,Khan,04/05/2013,\nR2D2,Lee,2013-05-04,\n`, TODAY, inClass);
    expect(rows).toEqual([]);
    expect(errors.map((e) => e.field)).toEqual(['row 1.dateOfBirth', 'row 2', 'row 3.firstName']);
    expect(errors[1].message).toBe('row 2: this student is already in the class (same name and date of birth)');
  });

  it('keeps a parent address (lower-cased) and allows it to be blank', () => {
    const { rows } = parseRoster(`${HEADER}\nAmira,Khan,2014-05-04,Farah.Khan@Example.com\nSam,Lee,2013-05-04,\n`, TODAY);
    expect(rows.map((r) => r.parentEmail)).toEqual(['farah.khan@example.com', null]);
  });

  it(`takes ${ROSTER_MAX_ROWS} rows and refuses ${ROSTER_MAX_ROWS + 1}`, () => {
    const line = (i: number) => `Sam,Lee,${new Date(Date.UTC(2011, 0, 1 + i)).toISOString().slice(0, 10)},`;
    const csv = (n: number) => [HEADER, ...Array.from({ length: n }, (_, i) => line(i))].join('\n');
    const ok = parseRoster(csv(ROSTER_MAX_ROWS), TODAY);
    expect(ok.errors).toEqual([]);
    expect(ok.rows).toHaveLength(ROSTER_MAX_ROWS);
    expect(parseRoster(csv(ROSTER_MAX_ROWS + 1), TODAY).errors).toEqual([{ field: 'rows', message: 'a roster holds at most 500 rows; this one has 501' }]);
  });

  it('explains a wrong header', () => {
    expect(parseRoster('first,lastName,dateOfBirth,school\nA,B,2013-01-01,X\n', TODAY).errors).toEqual([
      { field: 'header', message: expect.stringMatching(/^unknown column "first", "school"/) },
      { field: 'header', message: expect.stringMatching(/^missing column firstName/) },
    ]);
    expect(parseRoster('firstName,lastName,dateOfBirth,firstName\n', TODAY).errors).toEqual([
      { field: 'header', message: 'column firstName appears twice' },
    ]);
    expect(parseRoster('', TODAY).errors[0]).toEqual({ field: 'header', message: expect.stringMatching(/empty/) });
  });

  it('reports an unreadable file without echoing its content', () => {
    const { errors } = parseRoster('firstName,lastName,dateOfBirth\n"Amira,Khan,2013-05-04\n', TODAY);
    expect(errors).toEqual([{ field: 'csv', message: 'the CSV cannot be read near line 2: a quoted field is not closed' }]);
  });

  it('numbers fields as "row N.field"', () => {
    expect(rowField(17, 'dateOfBirth')).toBe('row 17.dateOfBirth');
    expect(rowField(3)).toBe('row 3');
  });
});

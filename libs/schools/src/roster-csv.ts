import { isEmail } from 'class-validator';
import { CsvError, parse } from 'csv-parse/sync';
import type { FieldError } from '@app/platform';
import { isCalendarDate, rosterEntrantErrors, type RosterEntrant } from '@app/identity';

/** Most rows one roster may hold (SPEC §2.2). */
export const ROSTER_MAX_ROWS = 500;

const REQUIRED = ['firstName', 'lastName', 'dateOfBirth'] as const;
const OPTIONAL = ['parentEmail'] as const;
type Column = (typeof REQUIRED)[number] | (typeof OPTIONAL)[number];
const COLUMNS: readonly Column[] = [...REQUIRED, ...OPTIONAL];

export interface RosterRow extends RosterEntrant {
  /** Its number as a data row: 1 = the first row after the header. */
  row: number;
}

export interface ParsedRoster {
  rows: RosterRow[];
  /** Every problem found; empty when the roster can be imported as it is. */
  errors: FieldError[];
}

/**
 * Where a problem is, in the roster's terms: `row 17.dateOfBirth` (a field of data row 17) or `row 17`
 * (the whole row). Rows are numbered as data rows: 1 = the first row after the header, blank rows counted.
 */
export const rowField = (row: number, field?: string): string => (field ? `row ${row}.${field}` : `row ${row}`);

/** Whom a row names: the same name (in any case) and date of birth is the same person. */
export const personKey = (p: { firstName: string; lastName: string; dateOfBirth: string | null }): string =>
  [p.firstName.toLowerCase(), p.lastName.toLowerCase(), p.dateOfBirth].join('\u0000');

const ISO = /^(\d{4})-(\d{1,2})-(\d{1,2})$/;
const UK = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;

/** "2013-05-04" or "04/05/2013" (day first; one-digit days and months too) → "2013-05-04"; else null. */
export function parseDateOfBirth(value: string): string | null {
  const iso = ISO.exec(value);
  const uk = iso ? null : UK.exec(value);
  if (!iso && !uk) return null;
  const [y, m, d] = iso ? [iso[1], iso[2], iso[3]] : [uk![3], uk![2], uk![1]];
  const date = `${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`;
  return isCalendarDate(date) ? date : null;
}

/**
 * Reads a class roster (SPEC §2.2): UTF-8 with or without a BOM, CRLF or LF, quoted fields (commas,
 * quotes and accents inside names), header `firstName,lastName,dateOfBirth[,parentEmail]` (any case, any
 * order), dates YYYY-MM-DD or DD/MM/YYYY, ages as at `today`. Every bad row and field is reported, so a
 * teacher can fix the file in one go. Rows that are entirely blank (spreadsheets leave them) are skipped.
 * A row naming one of `inClass` (personKey of each student already in the class) is refused with the rest.
 */
export function parseRoster(csv: string, today: string, inClass: ReadonlySet<string> = new Set()): ParsedRoster {
  let records: string[][];
  try {
    records = parse(csv, { bom: true, relax_column_count: true, skip_empty_lines: false });
  } catch (e) {
    const where = e instanceof CsvError && typeof e.lines === 'number' ? ` near line ${e.lines}` : '';
    const why = e instanceof CsvError && e.code === 'CSV_QUOTE_NOT_CLOSED' ? ': a quoted field is not closed' : '';
    return { rows: [], errors: [{ field: 'csv', message: `the CSV cannot be read${where}${why}` }] };
  }
  const [header = [], ...data] = records;
  const columns = readHeader(header);
  if ('errors' in columns) return { rows: [], errors: columns.errors };

  const numbered = data.map((fields, i) => ({ row: i + 1, fields })).filter(({ fields }) => fields.some((f) => f.trim() !== ''));
  if (!numbered.length) return { rows: [], errors: [{ field: 'rows', message: 'the roster has no rows after the header' }] };
  if (numbered.length > ROSTER_MAX_ROWS)
    return { rows: [], errors: [{ field: 'rows', message: `a roster holds at most ${ROSTER_MAX_ROWS} rows; this one has ${numbered.length}` }] };

  const rows: RosterRow[] = [];
  const errors: FieldError[] = [];
  const seen = new Map<string, number>();
  for (const { row, fields } of numbered) {
    const problem = (field: string | undefined, message: string) => errors.push({ field: rowField(row, field), message: `row ${row}: ${message}` });
    if (fields.length !== columns.length) {
      problem(undefined, `has ${fields.length} fields where the header has ${columns.length}`);
      continue;
    }
    const value = (c: Column) => {
      const i = columns.indexOf(c);
      return i < 0 ? '' : fields[i].trim().normalize('NFC');
    };
    const firstName = value('firstName');
    const lastName = value('lastName');
    const parentEmail = value('parentEmail');
    const rawDate = value('dateOfBirth');
    const parsedDate = parseDateOfBirth(rawDate);
    const dateOfBirth = parsedDate && parsedDate <= today ? parsedDate : null;
    const before = errors.length;
    if (!dateOfBirth)
      problem('dateOfBirth', rawDate ? 'dateOfBirth must be a real past date written YYYY-MM-DD or DD/MM/YYYY' : 'dateOfBirth is required');
    // Names, and the age rule once the date itself is good.
    for (const e of rosterEntrantErrors({ firstName, lastName, dateOfBirth: dateOfBirth ?? today }, today)) {
      if (e.field !== 'dateOfBirth' || dateOfBirth) problem(e.field, e.message);
    }
    if (parentEmail && !isEmail(parentEmail)) problem('parentEmail', 'parentEmail must be an email address');
    if (errors.length > before) continue;

    const key = personKey({ firstName, lastName, dateOfBirth });
    if (inClass.has(key)) {
      problem(undefined, 'this student is already in the class (same name and date of birth)');
      continue;
    }
    const earlier = seen.get(key);
    if (earlier) {
      problem(undefined, `repeats row ${earlier} (same name and date of birth)`);
      continue;
    }
    seen.set(key, row);
    rows.push({ row, firstName, lastName, dateOfBirth: dateOfBirth!, parentEmail: parentEmail ? parentEmail.toLowerCase() : null });
  }
  return { rows: errors.length ? [] : rows, errors };
}

function readHeader(header: string[]): Column[] | { errors: FieldError[] } {
  const expected = `the first line must be ${REQUIRED.join(',')} (optionally followed by ,${OPTIONAL.join(',')})`;
  const canonical = new Map(COLUMNS.map((c) => [c.toLowerCase(), c]));
  const columns = header.map((h) => canonical.get(h.trim().toLowerCase()));
  const unknown = header.filter((_, i) => !columns[i]).map((h) => h.trim());
  const missing = REQUIRED.filter((c) => !columns.includes(c));
  const repeated = COLUMNS.filter((c) => columns.filter((x) => x === c).length > 1);
  const errors: FieldError[] = [];
  if (!header.some((h) => h.trim())) errors.push({ field: 'header', message: `the roster is empty: ${expected}` });
  else {
    if (unknown.length) errors.push({ field: 'header', message: `unknown column ${unknown.map((u) => JSON.stringify(u)).join(', ')}: ${expected}` });
    if (missing.length) errors.push({ field: 'header', message: `missing column ${missing.join(', ')}: ${expected}` });
    if (repeated.length) errors.push({ field: 'header', message: `column ${repeated.join(', ')} appears twice` });
  }
  return errors.length ? { errors } : (columns as Column[]);
}

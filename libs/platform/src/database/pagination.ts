import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { DomainError } from '../errors/domain-error.js';
import { UUID } from '../ids.js';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface PageQuery {
  limit?: number;
  cursor?: string;
}

interface CursorKey {
  at: string; // ISO timestamp of the last item
  id: string; // its id, to break ties
}

export const encodeCursor = (key: CursorKey): string => Buffer.from(JSON.stringify(key)).toString('base64url');


export function decodeCursor(cursor: string | undefined): CursorKey | undefined {
  if (!cursor) return undefined;
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as CursorKey;
    if (typeof key.at === 'string' && typeof key.id === 'string' && UUID.test(key.id) && !Number.isNaN(Date.parse(key.at))) return key;
  } catch {
    // fall through
  }
  throw DomainError.invalid('INVALID_CURSOR', [{ field: 'cursor', message: 'cursor is not valid' }]);
}

/**
 * Keyset pagination, newest first. `rows` must be fetched with `limit + 1` rows ordered by
 * (createdAt DESC, id DESC) after the decoded cursor.
 */
export function toPage<R extends { id: string }, T>(
  rows: R[],
  limit: number,
  at: (row: R) => Date,
  map: (row: R) => T,
): Page<T> {
  const more = rows.length > limit;
  const slice = more ? rows.slice(0, limit) : rows;
  const last = slice[slice.length - 1];
  return {
    items: slice.map(map),
    nextCursor: more && last ? encodeCursor({ at: at(last).toISOString(), id: last.id }) : null,
  };
}

/**
 * Restricts a newest-first query (ordered by `alias.timeProperty DESC, alias.id DESC`) to the rows after
 * the cursor. The boundary row's own timestamp is read back by its id, because PostgreSQL keeps
 * microseconds and a cursor (a JavaScript Date) only milliseconds: comparing with the cursor's time
 * would skip rows created in the same millisecond.
 */
export function afterCursor<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, alias: string, timeProperty: string, cursor: string | undefined): SelectQueryBuilder<T> {
  const after = decodeCursor(cursor);
  if (!after) return qb;
  const metadata = qb.expressionMap.mainAlias!.metadata;
  const column = metadata.findColumnWithPropertyName(timeProperty)!.databaseName;
  return qb.andWhere(
    `(${alias}.${timeProperty}, ${alias}.id) < (coalesce((SELECT b.${column} FROM ${metadata.tablePath} b WHERE b.id = :cursorId), :cursorAt), :cursorId)`,
    { cursorId: after.id, cursorAt: after.at },
  );
}

/**
 * `afterCursor` for hand-written SQL: the condition keeping the rows after the cursor in a newest-first
 * order by (alias.column DESC, alias.<idColumn> DESC), the boundary row's own timestamp read back by its
 * id. `at` and `id` name the SQL parameters carrying the cursor's time and id (e.g. '$4', '$5'); both are
 * null when there is no cursor, and the condition then holds for every row. A table keyed by more than
 * the id column names it (`idColumn`) and narrows the boundary look-up with `boundary` (on alias `b`).
 */
export function afterCursorSql(
  table: string,
  alias: string,
  column: string,
  at: string,
  id: string,
  { idColumn = 'id', boundary }: { idColumn?: string; boundary?: string } = {},
): string {
  const lookup = `SELECT b.${column} FROM ${table} b WHERE b.${idColumn} = ${id}::uuid${boundary ? ` AND ${boundary}` : ''}`;
  return `(${id}::uuid IS NULL OR (${alias}.${column}, ${alias}.${idColumn}) < (coalesce((${lookup}), ${at}::timestamptz), ${id}::uuid))`;
}

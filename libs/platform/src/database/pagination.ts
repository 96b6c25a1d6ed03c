import { DomainError } from '../errors/domain-error.js';

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
    if (typeof key.at === 'string' && typeof key.id === 'string' && !Number.isNaN(Date.parse(key.at))) return key;
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

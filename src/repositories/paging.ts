import type { SqlParams } from '../db/database';
import { BadUserInputError } from '../errors';
import { type Cursor, encodeCursor, type SortValue } from '../lib/cursor';
import type { PageRequest } from '../lib/pagination';

/**
 * The SQL type of a sort expression: `int` for our 32-bit counter columns, `bigint` for
 * COUNT/SUM aggregates, `timestamp` and `text`. Cursor values are checked against it
 * before they reach SQL, where PostgreSQL would fail the whole statement on a mismatch.
 */
export type SortKind = 'int' | 'bigint' | 'timestamp' | 'text';

/** How a list is sorted: an SQL expression, then the row id as tie-breaker, same direction. */
export interface SortKey {
  expr: string;
  kind: SortKind;
  idExpr: string;
  descending: boolean;
}

export interface KeysetClauses {
  /** Conditions to AND into the WHERE clause. */
  conditions: string[];
  orderBy: string;
  /** One more than the page size, so the caller learns whether more rows follow. */
  limit: number;
}

/**
 * The WHERE/ORDER BY/LIMIT of one keyset page. Uses row-value comparison
 * (`(key, id) < (:v, :id)`), which PostgreSQL and SQLite both evaluate on the
 * (key, id) indexes without OFFSET, so cursors stay valid while rows are inserted.
 */
export function keysetClauses(key: SortKey, page: PageRequest, params: SqlParams): KeysetClauses {
  const conditions: string[] = [];
  const pair = `(${key.expr}, ${key.idExpr})`;
  checkCursorValue('after', page.after, key.kind);
  checkCursorValue('before', page.before, key.kind);
  if (page.after) {
    conditions.push(`${pair} ${key.descending ? '<' : '>'} (:afterValue, :afterId)`);
    params.afterValue = page.after.value;
    params.afterId = page.after.id;
  }
  if (page.before) {
    conditions.push(`${pair} ${key.descending ? '>' : '<'} (:beforeValue, :beforeId)`);
    params.beforeValue = page.before.value;
    params.beforeId = page.before.id;
  }
  // A backward page walks from `before` towards the start, so it reads in reverse.
  const descending = key.descending === page.forward;
  const dir = descending ? 'DESC' : 'ASC';
  return { conditions, orderBy: `${key.expr} ${dir}, ${key.idExpr} ${dir}`, limit: page.limit + 1 };
}

const INT4_MAX = 2_147_483_647;
/** Both spellings we issue: ISO 8601 (PostgreSQL) and SQLite's `YYYY-MM-DD HH:MM:SS.sss`. */
const TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(\.\d{1,6})?(Z|[+-](\d{2}):?(\d{2}))?$/;

/**
 * A timestamp PostgreSQL accepts as it is: a real calendar day (JavaScript would read
 * 2023-02-30 as 2 March) of a year from 0001 (PostgreSQL has no year 0), and an offset
 * within ±15:59.
 */
function isTimestamp(value: string): boolean {
  const m = TIMESTAMP.exec(value);
  if (!m) return false;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as number[];
  const offsetHours = m[9] === undefined ? 0 : Number(m[9]);
  const offsetMinutes = m[10] === undefined ? 0 : Number(m[10]);
  const calendarDay = new Date(Date.UTC(2000, month! - 1, day));
  calendarDay.setUTCFullYear(year!);
  return (
    year! >= 1 &&
    month! >= 1 &&
    month! <= 12 &&
    calendarDay.getUTCMonth() === month! - 1 &&
    calendarDay.getUTCDate() === day &&
    hour! <= 23 &&
    minute! <= 59 &&
    second! <= 59 &&
    offsetHours <= 15 &&
    offsetMinutes <= 59
  );
}

/**
 * A cursor's value must have the sort expression's type. Cursors are opaque but not
 * signed, so an edited one is refused here as bad input instead of failing in the database.
 */
function checkCursorValue(field: 'after' | 'before', cursor: Cursor | null, kind: SortKind): void {
  if (!cursor) return;
  const { value } = cursor;
  const valid =
    kind === 'text'
      ? typeof value === 'string' && !value.includes('\u0000') // PostgreSQL text holds no NUL
      : kind === 'timestamp'
        ? typeof value === 'string' && isTimestamp(value)
        : Number.isSafeInteger(value) &&
          (kind === 'bigint' || Math.abs(value as number) <= INT4_MAX);
  if (!valid) throw new BadUserInputError(field, 'is not a valid cursor for this list');
}

export interface Keyed<T> {
  row: T;
  cursor: string;
}

/** Pairs each fetched row with the cursor for its raw sort value. */
export function withCursor<T extends { id: number }>(
  row: T,
  sortValue: unknown,
  kind: SortKind,
  order: string,
): Keyed<T> {
  return {
    row,
    cursor: encodeCursor({ order, value: normalizeSortValue(sortValue, kind), id: row.id }),
  };
}

function normalizeSortValue(value: unknown, kind: SortKind): SortValue {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  // PostgreSQL returns COUNT and SUM (bigint) as strings.
  if (kind === 'int' || kind === 'bigint') return Number(value);
  return String(value);
}

export function where(conditions: string[]): string {
  return conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
}

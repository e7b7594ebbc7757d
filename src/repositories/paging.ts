import type { SqlParams } from '../db/database';
import { encodeCursor, type SortValue } from '../lib/cursor';
import type { PageRequest } from '../lib/pagination';

/** How a list is sorted: an SQL expression, then the row id as tie-breaker, same direction. */
export interface SortKey {
  expr: string;
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

export interface Keyed<T> {
  row: T;
  cursor: string;
}

/** Pairs each fetched row with the cursor for its raw sort value. */
export function withCursor<T extends { id: number }>(row: T, sortValue: unknown, order: string): Keyed<T> {
  return { row, cursor: encodeCursor({ order, value: normalizeSortValue(sortValue), id: row.id }) };
}

function normalizeSortValue(value: unknown): SortValue {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'bigint') return Number(value);
  if (value === null || value === undefined) return null;
  return typeof value === 'number' ? value : String(value);
}

export function where(conditions: string[]): string {
  return conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
}

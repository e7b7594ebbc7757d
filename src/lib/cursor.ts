/**
 * Keyset cursors: the sort value and the row id of an edge, plus the name of the ordering
 * they belong to, so a cursor from another ordering is refused instead of silently
 * paging wrong. Opaque to clients (base64url JSON).
 */

import { MAX_ROW_ID } from './global-id';

export type SortValue = string | number | null;

export interface Cursor {
  order: string;
  value: SortValue;
  id: number;
}

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.order, cursor.value, cursor.id]), 'utf8').toString(
    'base64url',
  );
}

/** Returns null when the string is not a cursor we issued. */
export function decodeCursor(raw: string): Cursor | null {
  if (raw.length > 1024 || !/^[A-Za-z0-9_-]+$/.test(raw)) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (!Array.isArray(parsed) || parsed.length !== 3) return null;
  const [order, value, id] = parsed as unknown[];
  if (typeof order !== 'string') return null;
  if (value !== null && typeof value !== 'string' && typeof value !== 'number') return null;
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 1 || id > MAX_ROW_ID) return null;
  return { order, value, id };
}

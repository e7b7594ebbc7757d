import { BadUserInputError } from '../errors';
import { decodeCursor, type Cursor } from './cursor';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export interface ConnectionArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

/**
 * A validated page request. `forward` pages take the `limit` rows after `after`;
 * backward pages take the `limit` rows just before `before` (Relay's `last`).
 */
export interface PageRequest {
  order: string;
  limit: number;
  forward: boolean;
  after: Cursor | null;
  before: Cursor | null;
}

/** @param order the ordering name cursors are bound to, e.g. `STARTS_AT:DESC` */
export function toPageRequest(args: ConnectionArgs, order: string): PageRequest {
  const first = args.first ?? null;
  const last = args.last ?? null;
  if (first !== null && last !== null) {
    throw new BadUserInputError('last', 'pass either first or last, not both');
  }
  for (const [field, value] of [
    ['first', first],
    ['last', last],
  ] as const) {
    if (value !== null && (value < 0 || value > MAX_PAGE_SIZE)) {
      throw new BadUserInputError(field, `must be between 0 and ${MAX_PAGE_SIZE}`);
    }
  }
  return {
    order,
    limit: first ?? last ?? DEFAULT_PAGE_SIZE,
    forward: last === null,
    after: cursorArg('after', args.after, order),
    before: cursorArg('before', args.before, order),
  };
}

function cursorArg(
  field: 'after' | 'before',
  raw: string | null | undefined,
  order: string,
): Cursor | null {
  if (raw === null || raw === undefined) return null;
  const cursor = decodeCursor(raw);
  if (!cursor) throw new BadUserInputError(field, 'is not a valid cursor');
  if (cursor.order !== order) {
    throw new BadUserInputError(field, 'belongs to a different orderBy than this request');
  }
  return cursor;
}

export interface Page<T> {
  rows: T[];
  hasNextPage: boolean;
  hasPreviousPage: boolean;
}

/**
 * Turns the `limit + 1` rows a keyset query fetched into a page. For a backward page the
 * rows arrive in reverse order and are flipped back here. Like GitHub, we report the
 * side opposite the cursor as "has more" only when that cursor was given.
 */
export function toPage<T>(fetched: T[], request: PageRequest): Page<T> {
  const hasMore = fetched.length > request.limit;
  const rows = fetched.slice(0, request.limit);
  if (request.forward) {
    return { rows, hasNextPage: hasMore, hasPreviousPage: request.after !== null };
  }
  rows.reverse();
  return { rows, hasNextPage: request.before !== null, hasPreviousPage: hasMore };
}

import type { EntityManager } from 'typeorm';
import { ConflictError } from '../errors';
import { firstFreeSlug, slugify } from '../lib/slug';
import { optionalSlug } from '../lib/validation';
import { isUniqueViolation } from './refs';

interface SlugTable {
  findSlugsLike(base: string, tx?: EntityManager): Promise<Set<string>>;
}

/**
 * The slug a created or updated row gets. A slug the client gives must be free
 * (else CONFLICT); without one, a create derives it from `source` and appends -2, -3, …
 * until free, and an update keeps the old slug so links stay valid.
 */
export async function chooseSlug(
  table: SlugTable,
  tx: EntityManager,
  options: { given: string | null | undefined; source: string; fallback: string; current?: string },
): Promise<string> {
  const given = optionalSlug('input.slug', options.given);
  if (given !== undefined) {
    if (given !== options.current && (await table.findSlugsLike(given, tx)).has(given)) {
      throw new ConflictError(`The slug "${given}" is already taken`, 'input.slug');
    }
    return given;
  }
  if (options.current !== undefined) return options.current;
  const base = slugify(options.source) || options.fallback;
  return firstFreeSlug(base, await table.findSlugsLike(base, tx));
}

/**
 * Enough rounds for a burst of concurrent creates from the same title: each round at least
 * one of the racing writes commits, so the others find its slug taken on the next try.
 */
const SLUG_ATTEMPTS = 8;

/**
 * Runs a write that picks its slug with `chooseSlug`, again when a concurrent write took
 * the generated slug between our check and our insert (PostgreSQL runs admin writes in
 * parallel; SQLite queues them). A client who gave the slug asked for exactly that one,
 * so its unique violation is not retried: the caller turns it into CONFLICT.
 */
export async function retryOnSlugRace<T>(
  given: string | null | undefined,
  write: () => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      if (given != null || attempt >= SLUG_ATTEMPTS || !isUniqueViolation(error)) throw error;
    }
  }
}

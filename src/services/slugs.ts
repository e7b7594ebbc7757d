import type { EntityManager } from 'typeorm';
import { ConflictError } from '../errors';
import { firstFreeSlug, slugify } from '../lib/slug';
import { optionalSlug } from '../lib/validation';

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

import { BadUserInputError, ConflictError, NotFoundError } from '../errors';
import { fromGlobalId, type NodeType } from '../lib/global-id';

/**
 * The row id behind the `id` argument of a mutation. Unknown, malformed and other-type
 * ids are all "missing" to the client: NOT_FOUND, as API.md asks.
 */
export function mutationTargetId(globalId: string, type: NodeType): number {
  const ref = fromGlobalId(globalId);
  if (!ref || ref.type !== type) throw new NotFoundError(type, globalId);
  return ref.id;
}

/** The row id behind an id inside an input; a bad one names the input field. */
export function inputRefId(field: string, globalId: string, type: NodeType): number {
  const ref = fromGlobalId(globalId);
  if (!ref || ref.type !== type)
    throw new BadUserInputError(
      field,
      `${JSON.stringify(globalId)} is not ${article(type)} ${type} id`,
    );
  return ref.id;
}

/** Checks that every id in `ids` exists, naming the first missing one. */
export async function requireAllExist(
  field: string,
  type: NodeType,
  ids: readonly number[],
  globalIds: readonly string[],
  findExisting: (ids: readonly number[]) => Promise<{ id: number }[]>,
): Promise<void> {
  if (ids.length === 0) return;
  const found = new Set((await findExisting(ids)).map((row) => row.id));
  const missing = ids.findIndex((id) => !found.has(id));
  if (missing >= 0) {
    throw new BadUserInputError(
      `${field}[${missing}]`,
      `no ${type} with id ${JSON.stringify(globalIds[missing])}`,
    );
  }
}

/** Unique violations that slipped past our checks (a concurrent write) become CONFLICT. */
export function rethrowUniqueViolation(error: unknown, message: string, field: string): never {
  if (isUniqueViolation(error)) throw new ConflictError(message, field);
  throw error;
}

/** A unique-constraint failure from either driver (PostgreSQL 23505, SQLite's own code). */
export function isUniqueViolation(error: unknown): boolean {
  const code = driverErrorCode(error);
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}

/**
 * A foreign-key failure: a row our checks saw was deleted (or gained references) by a
 * concurrent write before our transaction committed.
 */
export function isForeignKeyViolation(error: unknown): boolean {
  const code = driverErrorCode(error);
  return code === '23503' || code === 'SQLITE_CONSTRAINT_FOREIGNKEY';
}

function driverErrorCode(error: unknown): string | undefined {
  const driverError = (error as { driverError?: { code?: string } }).driverError;
  return driverError?.code ?? (error as { code?: string }).code;
}

function article(type: NodeType): string {
  return /^[AEIOU]/.test(type) ? 'an' : 'a';
}

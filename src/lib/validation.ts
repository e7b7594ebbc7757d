import { BadUserInputError } from '../errors';
import { SLUG_PATTERN, MAX_SLUG_LENGTH } from './slug';

export const MAX_NAME_LENGTH = 200;
export const MAX_TEXT_LENGTH = 20_000;

/** Titles and names: 1–200 characters after trimming; returns the trimmed value. */
export function requireName(field: string, value: string): string {
  const trimmed = value.trim();
  if (trimmed.length === 0) throw new BadUserInputError(field, 'must not be empty');
  if ([...trimmed].length > MAX_NAME_LENGTH) {
    throw new BadUserInputError(field, `must be at most ${MAX_NAME_LENGTH} characters`);
  }
  return trimmed;
}

/** Optional short text (city, venue, affiliation…): ≤ 200 characters, '' stored as null. */
export function optionalName(
  field: string,
  value: string | null | undefined,
): string | null | undefined {
  if (value === undefined || value === null) return value;
  const trimmed = value.trim();
  if (trimmed === '') return null;
  return requireName(field, trimmed);
}

/** Long texts (summary, abstract, bio): ≤ 20,000 characters, '' stored as null. */
export function optionalText(
  field: string,
  value: string | null | undefined,
): string | null | undefined {
  if (value === undefined || value === null) return value;
  if ([...value].length > MAX_TEXT_LENGTH) {
    throw new BadUserInputError(field, `must be at most ${MAX_TEXT_LENGTH} characters`);
  }
  return value.trim() === '' ? null : value;
}

export function optionalSlug(field: string, value: string | null | undefined): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (value.length > MAX_SLUG_LENGTH || !SLUG_PATTERN.test(value)) {
    throw new BadUserInputError(
      field,
      `must match ${SLUG_PATTERN.source} and be at most ${MAX_SLUG_LENGTH} characters`,
    );
  }
  return value;
}

export function optionalIntInRange(
  field: string,
  value: number | null | undefined,
  min: number,
  max: number,
): number | null | undefined {
  if (value === undefined || value === null) return value;
  if (value < min || value > max)
    throw new BadUserInputError(field, `must be between ${min} and ${max}`);
  return value;
}

export function requireNotNull<T>(field: string, value: T | null | undefined): T | undefined {
  if (value === null) throw new BadUserInputError(field, 'must not be null');
  return value;
}

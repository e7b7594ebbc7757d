import { BadUserInputError } from '../errors';

/**
 * Calendar days in UTC, written 'YYYY-MM-DD': the form the daily view buckets store and
 * the `Date` scalar carries. Text in that form sorts chronologically.
 */
export type Day = string;

export const DEFAULT_HISTORY_DAYS = 30;
export const MAX_HISTORY_DAYS = 365;

const DAY_MS = 86_400_000;
const DAY_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The UTC day `at` falls on. */
export function utcDay(at: Date): Day {
  return at.toISOString().slice(0, 10);
}

/** True for an existing calendar day in exactly the 'YYYY-MM-DD' form (no time, no zone). */
export function isDay(text: string): boolean {
  const match = DAY_PATTERN.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  // Date.UTC rolls 2023-02-30 over to March; a real day survives the round trip unchanged.
  const at = new Date(Date.UTC(year, month - 1, day));
  return at.getUTCFullYear() === year && at.getUTCMonth() === month - 1 && at.getUTCDate() === day;
}

/** `day` moved by `delta` days (negative: earlier). */
export function addDays(day: Day, delta: number): Day {
  return utcDay(new Date(Date.parse(`${day}T00:00:00Z`) + delta * DAY_MS));
}

/** The `count` days that end with `last`, oldest first. */
export function daysEndingOn(last: Day, count: number): Day[] {
  return Array.from({ length: count }, (_, i) => addDays(last, i - count + 1));
}

export interface DailyCount {
  day: Day;
  count: number;
}

/** One entry per day of `days`, in that order: the count found for it, else 0. */
export function fillDays(days: readonly Day[], counts: ReadonlyMap<Day, number>): DailyCount[] {
  return days.map((day) => ({ day, count: counts.get(day) ?? 0 }));
}

/** `viewHistory(days:)`: 1 to 365, named `days` in the error. */
export function checkHistoryDays(days: number): number {
  if (!Number.isInteger(days) || days < 1 || days > MAX_HISTORY_DAYS) {
    throw new BadUserInputError('days', `must be between 1 and ${MAX_HISTORY_DAYS}`);
  }
  return days;
}

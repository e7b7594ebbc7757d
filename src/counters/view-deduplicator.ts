import { type Subject, subjectKey } from './counter-store';

/** Bounds memory under a flood of distinct viewers; the oldest entries go first. */
const MAX_ENTRIES = 100_000;

/**
 * Remembers which signed-in viewer saw what within the dedup window, in this process.
 * Entries are kept in insertion order, so expiry sweeps stop at the first live one.
 */
export class ViewDeduplicator {
  private readonly seenUntil = new Map<string, number>();

  constructor(
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** True (and remembered) when this viewer has not viewed the subject within the window. */
  firstViewInWindow(viewerId: string, subject: Subject): boolean {
    if (this.windowMs <= 0) return true;
    const now = this.now();
    this.sweep(now);
    const key = `${viewerId}\u0000${subjectKey(subject)}`;
    const until = this.seenUntil.get(key);
    if (until !== undefined && until > now) return false;
    this.seenUntil.delete(key);
    this.seenUntil.set(key, now + this.windowMs);
    return true;
  }

  private sweep(now: number): void {
    for (const [key, until] of this.seenUntil) {
      if (until > now && this.seenUntil.size <= MAX_ENTRIES) break;
      this.seenUntil.delete(key);
    }
  }
}

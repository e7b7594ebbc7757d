import type { Database } from '../db/database';
import { applyViewDeltas, findLiked, writeLike } from './counter-sql';
import {
  type CountedSubject,
  type CounterState,
  type CounterStore,
  type Subject,
  subjectKey,
  viewDay,
} from './counter-store';
import { ViewDeduplicator } from './view-deduplicator';

/**
 * The embedded default (no REDIS_URL): every view and like is written straight to the
 * database, so the rows always hold the live totals and nothing can be lost to a crash.
 * Repeat-view dedup lives in this process.
 */
export class DatabaseCounterStore implements CounterStore {
  private readonly dedup: ViewDeduplicator;

  constructor(
    private readonly db: Database,
    viewDedupSeconds: number,
  ) {
    this.dedup = new ViewDeduplicator(viewDedupSeconds * 1000);
  }

  /** No statement for anonymous readers; one for a signed-in viewer's likes. */
  async read(
    subjects: readonly CountedSubject[],
    viewerId: string | null,
  ): Promise<CounterState[]> {
    const liked =
      viewerId === null ? new Set<string>() : await findLiked(this.db, viewerId, subjects);
    return subjects.map((subject) => ({
      viewCount: subject.storedViews,
      likeCount: subject.storedLikes,
      viewerHasLiked: liked.has(subjectKey(subject)),
    }));
  }

  /** Null: the row just written is the answer, and the caller reads it (and announces it). */
  async recordView(subject: CountedSubject, viewerId: string | null): Promise<null> {
    const ref: Subject = { type: subject.type, id: subject.id };
    if (viewerId !== null && !this.dedup.firstViewInWindow(viewerId, ref)) return null;
    await this.db.transaction((tx) =>
      applyViewDeltas(this.db, tx, [{ subject: ref, day: viewDay(), views: 1 }]),
    );
    return null;
  }

  async like(subject: Subject, viewerId: string): Promise<void> {
    await writeLike(this.db, subject, viewerId, true);
  }

  async unlike(subject: Subject, viewerId: string): Promise<void> {
    await writeLike(this.db, subject, viewerId, false);
  }

  async flush(): Promise<void> {}

  async close(): Promise<void> {}
}

/**
 * The one interface behind every view and like counter.
 *
 * The database row is the truth for what has been flushed: `view_count`, `like_count` and
 * `view_flush_seq` come along with every read of an Event or Talk row. A store adds what
 * the row does not hold yet (views waiting to be flushed), so counter fields cost no SQL.
 * Likes are written to the database at once (one per viewer); stores may cache them.
 */

export type SubjectType = 'Event' | 'Talk';

export interface Subject {
  type: SubjectType;
  id: number;
}

/** A subject together with what its database row said when it was read. */
export interface CountedSubject extends Subject {
  storedViews: number;
  storedLikes: number;
  /** The last view batch applied to `storedViews` (see the counters migration). */
  flushedSeq: number;
}

export interface CounterState {
  viewCount: number;
  likeCount: number;
  viewerHasLiked: boolean;
}

export interface RecordedView extends CounterState {
  /** The store published the change on the channel it was given, in the same step. */
  announced: boolean;
}

export interface CounterStore {
  /**
   * Live counters of every subject, in the order given, in one round trip at most.
   * `viewerHasLiked` is false for everything when `viewerId` is null.
   */
  read(subjects: readonly CountedSubject[], viewerId: string | null): Promise<CounterState[]>;
  /**
   * Counts one view. A signed-in viewer's repeat within the dedup window is not counted.
   * Resolves to the subject's counters just after it when the store learns them in the same
   * round trip (from the row as read before, plus what the store holds beyond it); to null
   * when the caller has to read them.
   * @param announceOn a pub/sub channel the store may publish the change on itself (see
   *   CounterEvents.sharedChannel); the result says whether it did
   */
  recordView(
    subject: CountedSubject,
    viewerId: string | null,
    announceOn?: string | null,
  ): Promise<RecordedView | null>;
  /** Idempotent: a second like by the same viewer changes nothing. */
  like(subject: Subject, viewerId: string): Promise<void>;
  /** Idempotent. */
  unlike(subject: Subject, viewerId: string): Promise<void>;
  /** Writes every pending increment to the database (a no-op for write-through stores). */
  flush(): Promise<void>;
  close(): Promise<void>;
}

export function subjectKey(subject: Subject): string {
  return `${subject.type}:${subject.id}`;
}

/** What an Event or Talk row carries of its counters. */
export type CountedRow = {
  id: number;
  storedViewCount: number;
  storedLikeCount: number;
  viewFlushSeq: number;
};

const countedOfRow = new WeakMap<CountedRow, CountedSubject>();
const keyOfCounted = new WeakMap<CountedSubject, string>();

/**
 * countedSubject for a row as read (rows are never changed after reading), made once per
 * row: a nested page asks for it two or three times per row, once per counter field.
 */
export function countedSubjectOfRow(type: SubjectType, row: CountedRow): CountedSubject {
  let counted = countedOfRow.get(row);
  if (counted === undefined || counted.type !== type) {
    counted = countedSubject(type, row);
    countedOfRow.set(row, counted);
  }
  return counted;
}

/** subjectKey, kept with the subject object: the counter loader's cache key on every load. */
export function cachedSubjectKey(subject: CountedSubject): string {
  let key = keyOfCounted.get(subject);
  if (key === undefined) {
    key = subjectKey(subject);
    keyOfCounted.set(subject, key);
  }
  return key;
}

/** The counted subject for an Event or Talk row read by a repository. */
export function countedSubject(type: SubjectType, row: CountedRow): CountedSubject {
  return {
    type,
    id: row.id,
    storedViews: row.storedViewCount,
    storedLikes: row.storedLikeCount,
    flushedSeq: row.viewFlushSeq,
  };
}

const DAY_MS = 86_400_000;
let lastDay = { index: Number.NaN, text: '' };

/**
 * The UTC day a view at `atMs` falls on, as stored in the daily buckets: formatted once a
 * day, not once a view (a Date and an ISO string per view were 1 % of W5's CPU).
 */
export function viewDay(atMs: number = Date.now()): string {
  const index = Math.floor(atMs / DAY_MS);
  if (index !== lastDay.index) {
    lastDay = { index, text: new Date(index * DAY_MS).toISOString().slice(0, 10) };
  }
  return lastDay.text;
}

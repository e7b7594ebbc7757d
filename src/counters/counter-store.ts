/**
 * The one interface behind every view and like counter. The database store (embedded
 * default) writes through; the Redis store keeps hot state and flushes behind.
 */

export type SubjectType = 'Event' | 'Talk';

export interface Subject {
  type: SubjectType;
  id: number;
}

export interface CounterState {
  viewCount: number;
  likeCount: number;
  viewerHasLiked: boolean;
}

export interface CounterStore {
  /**
   * Current counters of every subject, in the order given, in one round trip.
   * `viewerHasLiked` is false for everything when `viewerId` is null.
   */
  read(subjects: readonly Subject[], viewerId: string | null): Promise<CounterState[]>;
  /** Counts one view. A signed-in viewer's repeat within the dedup window is not counted. */
  recordView(subject: Subject, viewerId: string | null): Promise<void>;
  /** Idempotent: a second like by the same viewer changes nothing. */
  like(subject: Subject, viewerId: string): Promise<void>;
  /** Idempotent. */
  unlike(subject: Subject, viewerId: string): Promise<void>;
  close(): Promise<void>;
}

export function subjectKey(subject: Subject): string {
  return `${subject.type}:${subject.id}`;
}

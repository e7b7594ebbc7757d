import type { Subject } from './counter-store';

/**
 * "The counters of this subject changed": the signal behind `counterUpdated`. Published
 * after every view, like and unlike, and delivered to the subscribers of every instance
 * that shares the Redis (or of this process only, without Redis).
 */
export interface CounterEvents {
  publish(subject: Subject): void;
  /**
   * The Redis channel a message must go to for every instance (this one included) to hear
   * it, while that path works; null when changes are delivered in this process only. A
   * counter store may publish there itself, in the same step as its write, instead of
   * `publish`.
   */
  sharedChannel(): string | null;
  /** Calls `listener` for every change published anywhere; returns the unsubscribe. */
  subscribe(listener: (subject: Subject) => void): () => void;
  /** Listeners subscribed in this process: tests check that closed subscriptions leave none. */
  readonly listenerCount: number;
  close(): Promise<void>;
}

/** Delivery within this process: the embedded default. */
export class LocalCounterEvents implements CounterEvents {
  private readonly listeners = new Set<(subject: Subject) => void>();

  publish(subject: Subject): void {
    for (const listener of this.listeners) listener(subject);
  }

  sharedChannel(): null {
    return null;
  }

  subscribe(listener: (subject: Subject) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  async close(): Promise<void> {
    this.listeners.clear();
  }
}

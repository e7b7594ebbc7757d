import type { CounterEvents } from './counter-events';
import { type Subject, subjectKey } from './counter-store';

/** API.md, Counters 6: at most one push per subject per this many milliseconds. */
export const COUNTER_PUSH_INTERVAL_MS = 250;

export interface CounterFeedOptions<T> {
  events: CounterEvents;
  /** The subjects to watch; changes of any other subject are ignored. */
  subjects: readonly Subject[];
  /** Reads what to push for `subject` now; null pushes nothing (the subject is gone). */
  load(subject: Subject): Promise<T | null>;
  /**
   * A failed load pushes nothing; it is tried again after the interval only if the subject
   * changed meanwhile (else at its next change), so a failing database is not polled.
   */
  onLoadError(error: unknown, subject: Subject): void;
  intervalMs?: number;
}

/**
 * One subject's place in the throttle:
 * idle ─change→ loading ─value→ queued ─taken→ cooling ─interval→ idle, or loading again
 * when a change arrived meanwhile (`dirty`). Loads of one subject never overlap.
 */
interface Slot {
  subject: Subject;
  phase: 'idle' | 'loading' | 'queued' | 'cooling';
  /** A change arrived after the current load began: the value on its way may be stale. */
  dirty: boolean;
  timer: NodeJS.Timeout | undefined;
}

/**
 * The pushes of one `counterUpdated` subscription, throttled per subject: the first
 * change after a quiet spell is loaded at once (leading edge); changes during the
 * interval after a push collapse into one more load when it ends (trailing edge), so the
 * last value a client sees is read after the last change.
 *
 * The interval starts when the consumer takes a value, not when it is loaded: a slow
 * socket then gets fewer pushes instead of a burst, and at most one value per subject
 * ever waits here. `return()` (client unsubscribed or disconnected) removes the listener
 * and every timer.
 */
export class CounterFeed<T> implements AsyncIterableIterator<T> {
  private readonly slots = new Map<string, Slot>();
  /** Values ready for the consumer, one per subject at most, oldest first. */
  private readonly ready = new Map<string, T>();
  private readonly waiting: ((result: IteratorResult<T>) => void)[] = [];
  private readonly intervalMs: number;
  private readonly unsubscribe: () => void;
  private done = false;

  constructor(private readonly options: CounterFeedOptions<T>) {
    this.intervalMs = options.intervalMs ?? COUNTER_PUSH_INTERVAL_MS;
    for (const subject of options.subjects) {
      this.slots.set(subjectKey(subject), {
        subject,
        phase: 'idle',
        dirty: false,
        timer: undefined,
      });
    }
    this.unsubscribe = options.events.subscribe((subject) => this.changed(subject));
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<T>> {
    if (this.done) return Promise.resolve({ done: true, value: undefined });
    const taken = this.take();
    if (taken) return Promise.resolve(taken);
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  return(): Promise<IteratorResult<T>> {
    if (!this.done) {
      this.done = true;
      this.unsubscribe();
      for (const slot of this.slots.values()) clearTimeout(slot.timer);
      this.slots.clear();
      this.ready.clear();
      for (const resolve of this.waiting.splice(0)) resolve({ done: true, value: undefined });
    }
    return Promise.resolve({ done: true, value: undefined });
  }

  /** Called synchronously inside `publish`, so it must never throw. */
  private changed(subject: Subject): void {
    const slot = this.slots.get(subjectKey(subject));
    if (!slot) return;
    if (slot.phase === 'idle') this.load(slot);
    else slot.dirty = true;
  }

  private load(slot: Slot): void {
    slot.phase = 'loading';
    slot.dirty = false;
    const key = subjectKey(slot.subject);
    // Through a promise so that even a synchronous throw cannot reach the publisher.
    new Promise<T | null>((resolve) => resolve(this.options.load(slot.subject))).then(
      (value) => {
        if (this.done) return;
        if (value === null) {
          this.coolDown(slot);
          return;
        }
        slot.phase = 'queued';
        this.ready.set(key, value);
        const resolve = this.waiting.shift();
        if (resolve) resolve(this.take()!);
      },
      (error: unknown) => {
        if (this.done) return;
        this.options.onLoadError(error, slot.subject);
        this.coolDown(slot);
      },
    );
  }

  /** Hands the oldest ready value to the consumer and starts its subject's interval. */
  private take(): IteratorResult<T> | undefined {
    const first = this.ready.entries().next();
    if (first.done) return undefined;
    const [key, value] = first.value;
    this.ready.delete(key);
    this.coolDown(this.slots.get(key)!);
    return { done: false, value };
  }

  private coolDown(slot: Slot): void {
    slot.phase = 'cooling';
    slot.timer = setTimeout(() => {
      slot.timer = undefined;
      if (slot.dirty) this.load(slot);
      else slot.phase = 'idle';
    }, this.intervalMs);
  }
}

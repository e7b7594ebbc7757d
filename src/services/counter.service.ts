import type { Event, Talk } from '../../entities';
import type { CounterEvents } from '../counters/counter-events';
import {
  type CountedSubject,
  type CounterState,
  type CounterStore,
  countedSubject,
  type Subject,
} from '../counters/counter-store';
import { NotFoundError } from '../errors';
import { fromGlobalId } from '../lib/global-id';
import type { Repositories } from '../repositories';

export interface CounterResult {
  subject: Event | Talk;
  /** The subject with the flushed counts of its row as read after the write. */
  counted: CountedSubject;
  state: CounterState;
}

interface Target {
  subject: Event | Talk;
  ref: Subject;
}

/** Views and likes of events and talks, through the configured counter store. */
export class CounterService {
  constructor(
    private readonly repos: Repositories,
    private readonly store: CounterStore,
    private readonly events: CounterEvents,
  ) {}

  /**
   * One row read (it exists, and its flushed counts) and, with Redis, one script call that
   * counts the view, answers the unflushed rest (the payload needs no second read) and
   * publishes the change.
   */
  async recordView(globalId: string, viewerId: string | null): Promise<CounterResult> {
    const target = await this.resolve(globalId);
    const counted = countedSubject(target.ref.type, target.subject);
    const recorded = await this.store.recordView(counted, viewerId, this.events.sharedChannel());
    if (!recorded) return this.afterWrite(target, viewerId);
    const { announced, ...state } = recorded;
    if (!announced) this.events.publish(target.ref);
    return { subject: target.subject, counted, state };
  }

  async like(globalId: string, viewerId: string): Promise<CounterResult> {
    const target = await this.resolve(globalId);
    await this.store.like(target.ref, viewerId);
    return this.afterWrite(target, viewerId);
  }

  async unlike(globalId: string, viewerId: string): Promise<CounterResult> {
    const target = await this.resolve(globalId);
    await this.store.unlike(target.ref, viewerId);
    return this.afterWrite(target, viewerId);
  }

  private async resolve(globalId: string): Promise<Target> {
    const ref = fromGlobalId(globalId);
    // A Speaker's or Topic's id names no Event or Talk: NOT_FOUND, as in admin mutations
    // (API.md: NOT_FOUND when the id argument of a mutation is missing).
    if (!ref || (ref.type !== 'Event' && ref.type !== 'Talk')) {
      throw new NotFoundError('Event or Talk', globalId);
    }
    const [subject] =
      ref.type === 'Event'
        ? await this.repos.events.findByIds([ref.id])
        : await this.repos.talks.findByIds([ref.id]);
    if (!subject) throw new NotFoundError(ref.type, globalId);
    return { subject, ref: { type: ref.type, id: ref.id } };
  }

  /**
   * Counters of `subject` for `viewerId` right now: its row (fresh, one statement) plus
   * what the store holds beyond it.
   */
  async current(subject: Subject, viewerId: string | null): Promise<CounterResult | null> {
    const [row] =
      subject.type === 'Event'
        ? await this.repos.events.findByIds([subject.id])
        : await this.repos.talks.findByIds([subject.id]);
    if (!row) return null;
    const counted = countedSubject(subject.type, row);
    const [state] = await this.store.read([counted], viewerId);
    return { subject: row, counted, state: state! };
  }

  private async afterWrite(target: Target, viewerId: string | null): Promise<CounterResult> {
    this.events.publish(target.ref);
    // Deleted between the write and this read: answer with what we knew.
    return (
      (await this.current(target.ref, viewerId)) ?? {
        subject: target.subject,
        counted: countedSubject(target.ref.type, target.subject),
        state: {
          viewCount: target.subject.storedViewCount,
          likeCount: target.subject.storedLikeCount,
          viewerHasLiked: false,
        },
      }
    );
  }
}

import type { Event, Talk } from '../../entities';
import type { CounterState, CounterStore, Subject } from '../counters/counter-store';
import { BadUserInputError, NotFoundError } from '../errors';
import { fromGlobalId } from '../lib/global-id';
import type { Repositories } from '../repositories';

export interface CounterResult {
  subject: Event | Talk;
  ref: Subject;
  state: CounterState;
}

/** Views and likes of events and talks, through the configured counter store. */
export class CounterService {
  constructor(
    private readonly repos: Repositories,
    private readonly store: CounterStore,
  ) {}

  async recordView(globalId: string, viewerId: string | null): Promise<CounterResult> {
    const target = await this.resolve(globalId);
    await this.store.recordView(target.ref, viewerId);
    return this.withState(target, viewerId);
  }

  async like(globalId: string, viewerId: string): Promise<CounterResult> {
    const target = await this.resolve(globalId);
    await this.store.like(target.ref, viewerId);
    return this.withState(target, viewerId);
  }

  async unlike(globalId: string, viewerId: string): Promise<CounterResult> {
    const target = await this.resolve(globalId);
    await this.store.unlike(target.ref, viewerId);
    return this.withState(target, viewerId);
  }

  private async resolve(globalId: string): Promise<Omit<CounterResult, 'state'>> {
    const ref = fromGlobalId(globalId);
    if (!ref) throw new NotFoundError('Event or Talk', globalId);
    if (ref.type !== 'Event' && ref.type !== 'Talk') {
      throw new BadUserInputError('id', 'must be the id of an Event or a Talk');
    }
    const [subject] =
      ref.type === 'Event'
        ? await this.repos.events.findByIds([ref.id])
        : await this.repos.talks.findByIds([ref.id]);
    if (!subject) throw new NotFoundError(ref.type, globalId);
    return { subject, ref: { type: ref.type, id: ref.id } };
  }

  private async withState(
    target: Omit<CounterResult, 'state'>,
    viewerId: string | null,
  ): Promise<CounterResult> {
    const [state] = await this.store.read([target.ref], viewerId);
    return { ...target, state: state! };
  }
}

import type { Event } from '../../entities';
import type { Database } from '../db/database';
import { BadUserInputError, NotFoundError } from '../errors';
import {
  optionalIntInRange,
  optionalName,
  optionalText,
  requireName,
  requireNotNull,
} from '../lib/validation';
import type { EventValues, Repositories } from '../repositories';
import { mutationTargetId, rethrowUniqueViolation } from './refs';
import { chooseSlug, retryOnSlugRace } from './slugs';

export interface EventInput {
  title?: string | null;
  slug?: string | null;
  summary?: string | null;
  series?: string | null;
  edition?: number | null;
  startsAt?: Date | null;
  endsAt?: Date | null;
  city?: string | null;
  venue?: string | null;
  organizer?: string | null;
}

/** Admin writes of events. Every check runs before the first write; each call is one transaction. */
export class EventService {
  constructor(
    private readonly db: Database,
    private readonly repos: Repositories,
  ) {}

  async create(input: EventInput): Promise<Event> {
    const title = requireName('input.title', requireNotNull('input.title', input.title) ?? '');
    const startsAt = requireNotNull('input.startsAt', input.startsAt);
    if (!startsAt) throw new BadUserInputError('input.startsAt', 'is required');
    return this.write(null, input, { title, startsAt });
  }

  async update(globalId: string, input: EventInput): Promise<Event> {
    const id = mutationTargetId(globalId, 'Event');
    const [current] = await this.repos.events.findByIds([id]);
    if (!current) throw new NotFoundError('Event', globalId);
    const title =
      input.title === undefined
        ? current.title
        : requireName('input.title', requireNotNull('input.title', input.title) ?? '');
    const startsAt = requireNotNull('input.startsAt', input.startsAt) ?? current.startsAt;
    return this.write(current, input, { title, startsAt });
  }

  async delete(globalId: string): Promise<string> {
    const id = mutationTargetId(globalId, 'Event');
    const [current] = await this.repos.events.findByIds([id]);
    if (!current) throw new NotFoundError('Event', globalId);
    await this.db.transaction((tx) => this.repos.events.delete(id, tx));
    return globalId;
  }

  private async write(
    current: Event | null,
    input: EventInput,
    required: { title: string; startsAt: Date },
  ): Promise<Event> {
    const keep = <K extends keyof EventValues>(
      key: K,
      value: EventValues[K] | undefined,
    ): EventValues[K] | null => (value === undefined ? (current ? current[key] : null) : value);
    const values: Omit<EventValues, 'slug'> = {
      title: required.title,
      startsAt: required.startsAt,
      summary: keep('summary', optionalText('input.summary', input.summary)),
      series: keep('series', optionalName('input.series', input.series)),
      edition: keep('edition', optionalIntInRange('input.edition', input.edition, 1, 1_000_000)),
      endsAt: keep('endsAt', input.endsAt),
      city: keep('city', optionalName('input.city', input.city)),
      venue: keep('venue', optionalName('input.venue', input.venue)),
      organizer: keep('organizer', optionalName('input.organizer', input.organizer)),
    };
    if (values.endsAt && values.endsAt < values.startsAt) {
      // Name the field the client sent: moving only startsAt past the stored end is a bad startsAt.
      if (input.endsAt === undefined) {
        throw new BadUserInputError('input.startsAt', 'must not be after the event’s endsAt');
      }
      throw new BadUserInputError('input.endsAt', 'must not be before startsAt');
    }
    const id = await retryOnSlugRace(input.slug, () =>
      this.db.transaction(async (tx) => {
        const slug = await chooseSlug(this.repos.events, tx, {
          given: input.slug,
          source:
            values.series && values.edition ? `${values.series} ${values.edition}` : values.title,
          fallback: 'event',
          current: current?.slug,
        });
        if (!current) return this.repos.events.insert({ ...values, slug }, tx);
        await this.repos.events.update(current.id, { ...values, slug }, tx);
        if (values.startsAt.getTime() !== current.startsAt.getTime()) {
          await this.repos.talks.updateSortStartsAtOfEvent(current.id, values.startsAt, tx);
        }
        return current.id;
      }),
    ).catch((error: unknown) =>
      rethrowUniqueViolation(error, 'That slug is already taken', 'input.slug'),
    );
    const [saved] = await this.repos.events.findByIds([id]);
    return saved!;
  }
}

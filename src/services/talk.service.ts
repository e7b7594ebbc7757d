import type { Talk } from '../../entities';
import type { Database } from '../db/database';
import { BadUserInputError, NotFoundError } from '../errors';
import { MAX_PAGE_SIZE } from '../lib/pagination';
import { optionalIntInRange, optionalText, requireName, requireNotNull } from '../lib/validation';
import type { Repositories, TalkValues } from '../repositories';
import {
  inputRefId,
  isForeignKeyViolation,
  mutationTargetId,
  requireAllExist,
  rethrowUniqueViolation,
} from './refs';
import { chooseSlug, retryOnSlugRace } from './slugs';

export interface TalkInput {
  eventId?: string | null;
  title?: string | null;
  slug?: string | null;
  abstract?: string | null;
  position?: number | null;
  startsAt?: Date | null;
  durationMinutes?: number | null;
  speakerIds?: string[] | null;
  topicIds?: string[] | null;
}

/** Admin writes of talks with their speaker and topic lists. Every check runs before the first write. */
export class TalkService {
  constructor(
    private readonly db: Database,
    private readonly repos: Repositories,
  ) {}

  create(input: TalkInput): Promise<Talk> {
    if (input.eventId == null) throw new BadUserInputError('input.eventId', 'is required');
    if (input.speakerIds == null) throw new BadUserInputError('input.speakerIds', 'is required');
    return this.write(null, input);
  }

  async update(globalId: string, input: TalkInput): Promise<Talk> {
    return this.write(await this.find(globalId), input);
  }

  /** The talk's links and likes go with it (ON DELETE CASCADE). */
  async delete(globalId: string): Promise<string> {
    const talk = await this.find(globalId);
    await this.db.transaction((tx) => this.repos.talks.delete(talk.id, tx));
    return globalId;
  }

  private async find(globalId: string): Promise<Talk> {
    const [talk] = await this.repos.talks.findByIds([mutationTargetId(globalId, 'Talk')]);
    if (!talk) throw new NotFoundError('Talk', globalId);
    return talk;
  }

  private async write(current: Talk | null, input: TalkInput): Promise<Talk> {
    const title =
      input.title === undefined && current
        ? current.title
        : requireName('input.title', requireNotNull('input.title', input.title) ?? '');
    const eventGlobalId = requireNotNull('input.eventId', input.eventId);
    const eventId =
      eventGlobalId === undefined
        ? current!.eventId
        : inputRefId('input.eventId', eventGlobalId, 'Event');
    const [event] = await this.repos.events.findByIds([eventId]);
    if (!event)
      throw new BadUserInputError(
        'input.eventId',
        `no Event with id ${JSON.stringify(eventGlobalId)}`,
      );

    const speakerIds = await this.linkedIds(
      'input.speakerIds',
      'Speaker',
      requireNotNull('input.speakerIds', input.speakerIds),
      (ids) => this.repos.speakers.findByIds(ids),
    );
    if (speakerIds?.length === 0)
      throw new BadUserInputError('input.speakerIds', 'a talk needs at least one speaker');
    const topicIds = await this.linkedIds(
      'input.topicIds',
      'Topic',
      input.topicIds ?? (input.topicIds === null ? [] : undefined),
      (ids) => this.repos.topics.findByIds(ids),
    );

    const fields = {
      title,
      abstract: optionalText('input.abstract', input.abstract),
      position: optionalIntInRange(
        'input.position',
        requireNotNull('input.position', input.position),
        1,
        10_000,
      ),
      startsAt: input.startsAt,
      durationMinutes: optionalIntInRange(
        'input.durationMinutes',
        input.durationMinutes,
        1,
        24 * 60,
      ),
    };
    const id = await retryOnSlugRace(input.slug, () =>
      this.db.transaction(async (tx) => {
        const slug = await chooseSlug(this.repos.talks, tx, {
          given: input.slug,
          source: title,
          fallback: 'talk',
          current: current?.slug,
        });
        const values: TalkValues = {
          eventId,
          slug,
          title,
          abstract: fields.abstract === undefined ? (current?.abstract ?? null) : fields.abstract,
          // A talk moved to another event without a position goes after that event's last
          // talk: its old place belongs to another agenda.
          position:
            fields.position ??
            (current?.eventId === eventId ? current.position : undefined) ??
            (await this.repos.talks.nextPosition(eventId, tx)),
          startsAt: fields.startsAt === undefined ? (current?.startsAt ?? null) : fields.startsAt,
          durationMinutes:
            fields.durationMinutes === undefined
              ? (current?.durationMinutes ?? null)
              : fields.durationMinutes,
        };
        const talkId = current
          ? current.id
          : await this.repos.talks.insert(values, event.startsAt, tx);
        if (current) await this.repos.talks.update(talkId, values, event.startsAt, tx);
        if (speakerIds) await this.repos.talks.replaceSpeakers(talkId, speakerIds, tx);
        if (topicIds) await this.repos.talks.replaceTopics(talkId, topicIds, tx);
        return talkId;
      }),
    ).catch((error: unknown) => {
      if (isForeignKeyViolation(error)) {
        throw new BadUserInputError(
          'input',
          'an event, speaker or topic it names was just deleted',
        );
      }
      return rethrowUniqueViolation(error, 'That slug is already taken', 'input.slug');
    });
    const [saved] = await this.repos.talks.findByIds([id]);
    return saved!;
  }

  /** Decodes and checks a list of ids given in the input; undefined when the list was not given. */
  private async linkedIds(
    field: string,
    type: 'Speaker' | 'Topic',
    globalIds: string[] | undefined,
    findExisting: (ids: readonly number[]) => Promise<{ id: number }[]>,
  ): Promise<number[] | undefined> {
    if (globalIds === undefined) return undefined;
    if (globalIds.length > MAX_PAGE_SIZE)
      throw new BadUserInputError(field, `at most ${MAX_PAGE_SIZE} ids`);
    const ids = globalIds.map((globalId, i) => inputRefId(`${field}[${i}]`, globalId, type));
    const duplicate = ids.findIndex((id, i) => ids.indexOf(id) !== i);
    if (duplicate >= 0) throw new BadUserInputError(`${field}[${duplicate}]`, 'is listed twice');
    await requireAllExist(field, type, ids, globalIds, findExisting);
    return ids;
  }
}

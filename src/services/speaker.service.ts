import type { Speaker } from '../../entities';
import type { Database } from '../db/database';
import { ConflictError, NotFoundError } from '../errors';
import { optionalName, optionalText, requireName, requireNotNull } from '../lib/validation';
import type { Repositories, SpeakerValues } from '../repositories';
import { isForeignKeyViolation, mutationTargetId, rethrowUniqueViolation } from './refs';
import { chooseSlug, retryOnSlugRace } from './slugs';

export interface SpeakerInput {
  name?: string | null;
  slug?: string | null;
  headline?: string | null;
  affiliation?: string | null;
  bio?: string | null;
}

/** Admin writes of speakers. Every check runs before the first write. */
export class SpeakerService {
  constructor(
    private readonly db: Database,
    private readonly repos: Repositories,
  ) {}

  create(input: SpeakerInput): Promise<Speaker> {
    return this.write(null, input);
  }

  async update(globalId: string, input: SpeakerInput): Promise<Speaker> {
    return this.write(await this.find(globalId), input);
  }

  /** Refused with CONFLICT while the speaker still gives talks: their talks would lose a speaker. */
  async delete(globalId: string): Promise<string> {
    const speaker = await this.find(globalId);
    const stillHasTalks = () =>
      new ConflictError('This speaker still has talks; remove them from those talks first', 'id');
    await this.db
      .transaction(async (tx) => {
        if (await this.repos.speakers.hasTalks(speaker.id, tx)) throw stillHasTalks();
        await this.repos.speakers.delete(speaker.id, tx);
      })
      // A talk that gained this speaker after our check makes the RESTRICT key fire.
      .catch((error: unknown) => {
        throw isForeignKeyViolation(error) ? stillHasTalks() : error;
      });
    return globalId;
  }

  private async find(globalId: string): Promise<Speaker> {
    const [speaker] = await this.repos.speakers.findByIds([mutationTargetId(globalId, 'Speaker')]);
    if (!speaker) throw new NotFoundError('Speaker', globalId);
    return speaker;
  }

  private async write(current: Speaker | null, input: SpeakerInput): Promise<Speaker> {
    const pick = <T>(value: T | undefined, old: T | null): T | null =>
      value === undefined ? old : value;
    const name =
      input.name === undefined && current
        ? current.name
        : requireName('input.name', requireNotNull('input.name', input.name) ?? '');
    const values: Omit<SpeakerValues, 'slug'> = {
      name,
      headline: pick(optionalName('input.headline', input.headline), current?.headline ?? null),
      affiliation: pick(
        optionalName('input.affiliation', input.affiliation),
        current?.affiliation ?? null,
      ),
      bio: pick(optionalText('input.bio', input.bio), current?.bio ?? null),
    };
    const id = await retryOnSlugRace(input.slug, () =>
      this.db.transaction(async (tx) => {
        const slug = await chooseSlug(this.repos.speakers, tx, {
          given: input.slug,
          source: name,
          fallback: 'speaker',
          current: current?.slug,
        });
        if (!current) return this.repos.speakers.insert({ ...values, slug }, tx);
        await this.repos.speakers.update(current.id, { ...values, slug }, tx);
        return current.id;
      }),
    ).catch((error: unknown) =>
      rethrowUniqueViolation(error, 'That slug is already taken', 'input.slug'),
    );
    const [saved] = await this.repos.speakers.findByIds([id]);
    return saved!;
  }
}

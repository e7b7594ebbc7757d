import type { Topic } from '../../entities';
import type { Database } from '../db/database';
import { NotFoundError } from '../errors';
import { optionalText, requireName, requireNotNull } from '../lib/validation';
import type { Repositories } from '../repositories';
import { mutationTargetId, rethrowUniqueViolation } from './refs';
import { chooseSlug, retryOnSlugRace } from './slugs';

export interface TopicInput {
  name?: string | null;
  slug?: string | null;
  description?: string | null;
}

/** Admin writes of topics. Deleting a topic untags its talks (the link rows cascade). */
export class TopicService {
  constructor(
    private readonly db: Database,
    private readonly repos: Repositories,
  ) {}

  create(input: TopicInput): Promise<Topic> {
    return this.write(null, input);
  }

  async update(globalId: string, input: TopicInput): Promise<Topic> {
    return this.write(await this.find(globalId), input);
  }

  async delete(globalId: string): Promise<string> {
    const topic = await this.find(globalId);
    await this.db.transaction((tx) => this.repos.topics.delete(topic.id, tx));
    return globalId;
  }

  private async find(globalId: string): Promise<Topic> {
    const [topic] = await this.repos.topics.findByIds([mutationTargetId(globalId, 'Topic')]);
    if (!topic) throw new NotFoundError('Topic', globalId);
    return topic;
  }

  private async write(current: Topic | null, input: TopicInput): Promise<Topic> {
    const name =
      input.name === undefined && current
        ? current.name
        : requireName('input.name', requireNotNull('input.name', input.name) ?? '');
    const description = optionalText('input.description', input.description);
    const id = await retryOnSlugRace(input.slug, () =>
      this.db.transaction(async (tx) => {
        const slug = await chooseSlug(this.repos.topics, tx, {
          given: input.slug,
          source: name,
          fallback: 'topic',
          current: current?.slug,
        });
        const values = {
          slug,
          name,
          description: description === undefined ? (current?.description ?? null) : description,
        };
        if (!current) return this.repos.topics.insert(values, tx);
        await this.repos.topics.update(current.id, values, tx);
        return current.id;
      }),
    ).catch((error: unknown) =>
      rethrowUniqueViolation(error, 'That slug is already taken', 'input.slug'),
    );
    const [saved] = await this.repos.topics.findByIds([id]);
    return saved!;
  }
}

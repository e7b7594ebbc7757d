import type { Event, Speaker, Talk, Topic } from '../entities';
import type { Context } from '../src/context';
import { BadUserInputError } from '../src/errors';
import { fromGlobalId, type NodeRef, type NodeType } from '../src/lib/global-id';

type NodeRow = Event | Talk | Speaker | Topic;

/** Any node by its parsed id, through the request's loaders. */
export function loadNode(ctx: Context, ref: NodeRef): Promise<NodeRow | null> {
  switch (ref.type) {
    case 'Event':
      return ctx.loaders.eventById.load(ref.id);
    case 'Talk':
      return ctx.loaders.talkById.load(ref.id);
    case 'Speaker':
      return ctx.loaders.speakerById.load(ref.id);
    case 'Topic':
      return ctx.loaders.topicById.load(ref.id);
  }
}

/**
 * `event(id:, slug:)` and friends: exactly one of the two, else BAD_USER_INPUT; an id of
 * another type, a malformed id or an unknown slug is simply null.
 */
export async function loadByIdOrSlug<T extends NodeRow>(
  ctx: Context,
  type: NodeType,
  id: string | null | undefined,
  slug: string | null | undefined,
  bySlug: (slug: string) => Promise<T | null>,
): Promise<T | null> {
  if ((id == null) === (slug == null))
    throw new BadUserInputError('id', 'pass exactly one of id and slug');
  if (slug != null) return bySlug(slug);
  const ref = fromGlobalId(id!);
  if (!ref || ref.type !== type) return null;
  return (await loadNode(ctx, ref)) as T | null;
}

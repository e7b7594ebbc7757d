import { Arg, Ctx, ID, Int, Query, Resolver } from 'type-graphql';
import { Node } from '../entities';
import type { Context } from '../src/context';
import { BadUserInputError } from '../src/errors';
import { fromGlobalId } from '../src/lib/global-id';
import { MAX_PAGE_SIZE } from '../src/lib/pagination';
import { loadNode } from './lookup';
import { SearchResult } from './types/counter.types';

@Resolver()
export class NodeResolver {
  @Query(() => Node, {
    nullable: true,
    description: 'Any object by its global id; null when unknown or malformed.',
  })
  node(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<object | null> {
    const ref = fromGlobalId(id);
    return ref ? loadNode(ctx, ref) : Promise.resolve(null);
  }

  @Query(() => [Node], {
    nullable: 'items',
    description: 'Same order as ids, null where missing. At most 100.',
  })
  nodes(@Arg('ids', () => [ID]) ids: string[], @Ctx() ctx: Context): Promise<(object | null)[]> {
    if (ids.length > MAX_PAGE_SIZE)
      throw new BadUserInputError('ids', `at most ${MAX_PAGE_SIZE} ids`);
    return Promise.all(
      ids.map((id) => {
        const ref = fromGlobalId(id);
        return ref ? loadNode(ctx, ref) : null;
      }),
    );
  }

  @Query(() => [SearchResult], {
    description:
      'Events, talks, speakers and topics containing every word of the query (any case), best match first.',
  })
  async search(
    @Arg('query', () => String) query: string,
    @Arg('first', () => Int, { nullable: true, defaultValue: 20 }) first: number | null,
    @Ctx() ctx: Context,
  ): Promise<object[]> {
    const refs = await ctx.services.lists.search(query, first ?? 20);
    const rows = await Promise.all(refs.map((ref) => loadNode(ctx, ref)));
    // A row deleted between the search and the load is dropped rather than returned as null.
    return rows.filter((row): row is NonNullable<typeof row> => row !== null);
  }
}

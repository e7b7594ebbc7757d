import { Arg, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import { requireViewer } from '../src/auth';
import type { Context } from '../src/context';
import type { CounterResult } from '../src/services';
import { CounterPayload } from './types/counter.types';

@Resolver(() => CounterPayload)
export class CounterResolver {
  @Mutation(() => CounterPayload, {
    description: 'Counts a view of an Event or Talk; anonymous allowed.',
  })
  async recordView(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<CounterPayload> {
    return toPayload(ctx, await ctx.services.counters.recordView(id, ctx.viewer?.id ?? null));
  }

  @Mutation(() => CounterPayload, {
    description: 'Signed-in viewers only; liking twice changes nothing.',
  })
  async like(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<CounterPayload> {
    const viewer = requireViewer(ctx.viewer);
    return toPayload(ctx, await ctx.services.counters.like(id, viewer.id));
  }

  @Mutation(() => CounterPayload, { description: 'Signed-in viewers only; idempotent.' })
  async unlike(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<CounterPayload> {
    const viewer = requireViewer(ctx.viewer);
    return toPayload(ctx, await ctx.services.counters.unlike(id, viewer.id));
  }
}

/** The subject's counter fields must show the state just written, not a cached read. */
function toPayload(ctx: Context, result: CounterResult): CounterPayload {
  ctx.showCounters(result.counted, result.state);
  return Object.assign(new CounterPayload(), { subject: result.subject, ...result.state });
}

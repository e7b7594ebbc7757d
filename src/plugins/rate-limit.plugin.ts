import type { ApolloServerPlugin } from '@apollo/server';
import type { Context } from '../context';
import type { RateLimiter } from '../counters/rate-limiter';
import { RateLimitedError } from '../errors';
import { measureRequest } from './measure-request';

/** Root fields that bump a counter: one unit each, aliases included. */
export const COUNTER_MUTATIONS: ReadonlySet<string> = new Set(['recordView', 'like', 'unlike']);
/** Operations above this cost are "expensive": one unit per started thousand. */
export const EXPENSIVE_COST = 1_000;

/** The units an operation takes from its client's per-minute budget; 0: not limited. */
export function rateUnits(measure: { cost: number; rootFields: { name: string }[] }): number {
  const counters = measure.rootFields.filter((field) => COUNTER_MUTATIONS.has(field.name)).length;
  const expensive = measure.cost > EXPENSIVE_COST ? Math.ceil(measure.cost / EXPENSIVE_COST) : 0;
  return counters + expensive;
}

/**
 * Counter mutations and expensive queries draw on one budget of RATE_LIMIT_PER_MINUTE
 * units per client: the viewer when signed in, else the client address. Over it the
 * whole operation is refused before anything runs (no view counted) with RATE_LIMITED,
 * HTTP 429, `Retry-After` and `extensions.retryAfter` in seconds. Operations the depth or
 * cost plugin refuses take nothing.
 */
export function rateLimitPlugin(
  limiter: RateLimiter,
  limits: { maxDepth: number; maxComplexity: number },
): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation(requestContext) {
          const measure = measureRequest(requestContext);
          if (!measure || measure.depth > limits.maxDepth || measure.cost > limits.maxComplexity)
            return;
          const units = rateUnits(measure);
          if (units === 0) return;
          const { viewer, client } = requestContext.contextValue;
          const who = viewer ? `viewer:${viewer.id}` : `address:${client.address}`;
          const decision = await limiter.consume(who, units);
          if (decision.allowed) return;
          throw new RateLimitedError(
            units > limiter.limit
              ? `This request needs ${units} units, more than the ${limiter.limit} allowed per minute`
              : `Rate limit of ${limiter.limit} per minute reached; retry in ${decision.retryAfterSeconds} s`,
            decision.retryAfterSeconds,
          );
        },
      };
    },
  };
}

import type { ApolloServerPlugin } from '@apollo/server';
import type { Context } from '../context';
import { QueryTooComplexError } from '../errors';
import { measureRequest } from './measure-request';

/**
 * Refuses an operation whose estimated cost (src/lib/query-cost.ts) is over
 * `limits.maxComplexity` (MAX_COMPLEXITY) with QUERY_TOO_COMPLEX, before it runs. A
 * document that is also too deep is left to the depth plugin, which API.md checks first.
 */
export function costLimitPlugin(limits: {
  maxDepth: number;
  maxComplexity: number;
}): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation(requestContext) {
          const measure = measureRequest(requestContext);
          if (!measure || measure.depth > limits.maxDepth) return;
          if (measure.cost > limits.maxComplexity) {
            throw new QueryTooComplexError(measure.cost, limits.maxComplexity);
          }
        },
      };
    },
  };
}

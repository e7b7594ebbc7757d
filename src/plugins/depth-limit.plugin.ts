import type { ApolloServerPlugin } from '@apollo/server';
import type { Context } from '../context';
import { QueryTooDeepError } from '../errors';
import { measureRequest } from './measure-request';

/**
 * Refuses an operation nested deeper than `maxDepth` fields (MAX_DEPTH) with
 * QUERY_TOO_DEEP, before it runs. API.md: depth is checked before cost, so the cost plugin
 * stays silent on a document this one refuses.
 */
export function depthLimitPlugin(maxDepth: number): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation(requestContext) {
          const measure = measureRequest(requestContext);
          if (measure && measure.depth > maxDepth) {
            throw new QueryTooDeepError(measure.depth, maxDepth, measure.truncated);
          }
        },
      };
    },
  };
}

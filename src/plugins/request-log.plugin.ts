import type { ApolloServerPlugin, GraphQLResponse } from '@apollo/server';
import type { Context } from '../context';
import type { Logger } from '../logger';

/** Longer query texts are cut in the debug log: the body may be up to 1 MB. */
const MAX_LOGGED_QUERY = 4096;

/** The `extensions.code` of every error in a response, in order. */
export function responseErrorCodes(response: GraphQLResponse): string[] {
  const errors =
    response.body.kind === 'single'
      ? response.body.singleResult.errors
      : response.body.initialResult.errors;
  return (errors ?? []).map((error) => String(error.extensions?.code ?? 'INTERNAL_SERVER_ERROR'));
}

/**
 * One info line per GraphQL request: request id, operation name and type, HTTP status,
 * duration and error codes; at debug also the query text. Never variables or headers:
 * they may hold tokens and personal data. (A masked error's detail is logged by
 * formatError under the same request id.)
 */
export function requestLogPlugin(logger: Logger): ApolloServerPlugin<Context> {
  return {
    async requestDidStart({ contextValue, request }) {
      const startedAt = contextValue.scope?.startedAt ?? performance.now();
      const { requestId } = contextValue;
      if (logger.isLevelEnabled('debug') && request.query !== undefined) {
        const { query } = request;
        logger.debug(
          {
            requestId,
            query: query.length > MAX_LOGGED_QUERY ? `${query.slice(0, MAX_LOGGED_QUERY)}…` : query,
          },
          'graphql query',
        );
      }
      return {
        async willSendResponse({ operation, operationName, response }) {
          if (contextValue.scope) contextValue.scope.logged = true;
          const errorCodes = responseErrorCodes(response);
          logger.info(
            {
              requestId,
              operationName: operationName ?? null,
              operationType: operation?.operation ?? null,
              status: response.http.status ?? 200,
              durationMs: Math.round((performance.now() - startedAt) * 10) / 10,
              ...(errorCodes.length > 0 ? { errorCodes } : {}),
            },
            'graphql request',
          );
        },
      };
    },
  };
}

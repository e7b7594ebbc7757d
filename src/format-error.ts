import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { AppError } from './errors';
import type { Logger } from './logger';
import { currentRequestScope } from './request-scope';

/** Codes raised before execution by graphql-js and Apollo; their messages are about the request itself. */
const REQUEST_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
]);

/**
 * The one masking hook. AppErrors and request errors reach clients as they are; anything
 * else (a driver error, a bug) is logged in full and replaced by a bare
 * INTERNAL_SERVER_ERROR, so no SQL, stack or secret ever leaves the process. The client
 * gets the request id instead, to quote when reporting it: the log line carries the same.
 * Apollo gives this hook no context, so the id comes from the RequestScope of the HTTP
 * request; outside one (executeOperation, WebSocket) there is none to give.
 */
export function createFormatError(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    const code = formatted.extensions?.code;
    if (
      original instanceof AppError ||
      (typeof code === 'string' && REQUEST_CODES.has(code) && !isUnexpected(original))
    ) {
      const { stacktrace: _stacktrace, ...extensions } = formatted.extensions ?? {};
      return { ...formatted, extensions };
    }
    // Apollo answers some request problems (a bad persisted-query hash or version) with a
    // 4xx status but no code: they are about the request, so say so instead of masking.
    if (original instanceof GraphQLError && isUncodedClientError(original)) {
      return { message: formatted.message, extensions: { code: 'BAD_REQUEST' } };
    }
    const requestId = currentRequestScope()?.requestId;
    logger.error(
      { err: original, path: formatted.path, requestId },
      'unexpected error while serving a request',
    );
    return {
      message: 'Internal server error',
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: { code: 'INTERNAL_SERVER_ERROR', ...(requestId ? { requestId } : {}) },
    };
  };
}

/**
 * A plain Error thrown from a resolver may still carry a request code (graphql-js copies its
 * `extensions`); only a GraphQLError is what it claims to be. Ask the class, not `name`:
 * Apollo's own request errors (SyntaxError, UserInputError, BadRequestError…) set their
 * `name` to their class, so a check on `name` would mask every one of them.
 */
function isUnexpected(error: unknown): boolean {
  return !(error instanceof GraphQLError);
}

function isUncodedClientError(error: GraphQLError): boolean {
  const status = (error.extensions.http as { status?: number } | undefined)?.status;
  return (
    error.extensions.code === undefined && status !== undefined && status >= 400 && status < 500
  );
}

import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { AppError } from './errors';
import type { Logger } from './logger';
import type { ApolloServerPlugin } from '@apollo/server';
import type { Context } from './context';

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

const MASKED_MESSAGE = 'Internal server error';

/**
 * The one masking hook. AppErrors and request errors reach clients as they are; anything
 * else (a driver error, a bug) is replaced by a bare INTERNAL_SERVER_ERROR, so no SQL, stack
 * or secret ever leaves the process. The client gets the request id instead, to quote when
 * reporting it, and the log line carries the same: Apollo gives this hook no context, so
 * over HTTP `maskedErrorsPlugin` logs and stamps the id (`logMasked: false` here); over
 * WebSocket, where there is no plugin, this hook logs.
 */
export function createFormatError(logger: Logger, { logMasked }: { logMasked: boolean }) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    const code = formatted.extensions?.code;
    if (!isMasked(code, original)) {
      const { stacktrace: _stacktrace, ...extensions } = formatted.extensions ?? {};
      return { ...formatted, extensions };
    }
    // Apollo answers some request problems (a bad persisted-query hash or version) with a
    // 4xx status but no code: they are about the request, so say so instead of masking.
    if (original instanceof GraphQLError && isUncodedClientError(original)) {
      return { message: formatted.message, extensions: { code: 'BAD_REQUEST' } };
    }
    if (logMasked) logMaskedError(logger, original, formatted.path);
    return {
      message: MASKED_MESSAGE,
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    };
  };
}

/** Whether formatError hides this error (or answers it as a codeless BAD_REQUEST). */
function isMasked(code: unknown, original: unknown): boolean {
  return !(
    original instanceof AppError ||
    (typeof code === 'string' && REQUEST_CODES.has(code) && !isUnexpected(original))
  );
}

function logMaskedError(
  logger: Logger,
  original: unknown,
  path: GraphQLFormattedError['path'],
  requestId?: string,
): void {
  logger.error({ err: original, path, requestId }, 'unexpected error while serving a request');
}

/**
 * Logs every error formatError will mask with the request id, and stamps that id on the
 * masked errors of HTTP responses: the hooks formatError lacks, without a per-request
 * AsyncLocalStorage (whose promise hooks cost every resolver on Node 20).
 */
export function maskedErrorsPlugin(logger: Logger): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors, contextValue }) {
          for (const error of errors) {
            const original = unwrapResolverError(error);
            if (!isMasked(error.extensions.code, original)) continue;
            if (original instanceof GraphQLError && isUncodedClientError(original)) continue;
            logMaskedError(logger, original, error.path, contextValue.requestId);
          }
        },
        async willSendResponse({ response, contextValue }) {
          if (!contextValue.scope || response.body.kind !== 'single') return;
          const { singleResult } = response.body;
          if (!singleResult.errors?.some(isMaskedFormatted)) return;
          const { requestId } = contextValue;
          singleResult.errors = singleResult.errors.map((error) =>
            isMaskedFormatted(error)
              ? { ...error, extensions: { ...error.extensions, requestId } }
              : error,
          );
        },
      };
    },
  };
}

function isMaskedFormatted(error: GraphQLFormattedError): boolean {
  return error.message === MASKED_MESSAGE && error.extensions?.code === 'INTERNAL_SERVER_ERROR';
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
  // Optional: graphql-jit leaves `extensions` undefined on errors that have none.
  const extensions = error.extensions as GraphQLError['extensions'] | undefined;
  const status = (extensions?.http as { status?: number } | undefined)?.status;
  return extensions?.code === undefined && status !== undefined && status >= 400 && status < 500;
}

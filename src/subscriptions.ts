import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import {
  type ExecutionArgs,
  type ExecutionResult,
  getOperationAST,
  getVariableValues,
  GraphQLError,
  type GraphQLFormattedError,
  type GraphQLSchema,
  parse,
  specifiedRules,
  subscribe,
  validate,
} from 'graphql';
import { CloseCode } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { authenticate, type Viewer } from './auth';
import type { Context } from './context';
import type { CounterEvents } from './counters/counter-events';
import { CounterFeed } from './counters/counter-feed';
import type { Subject } from './counters/counter-store';
import { QueryTooComplexError, QueryTooDeepError, UnauthenticatedError } from './errors';
import { MAX_BODY_BYTES } from './http';
import { measureOperation } from './lib/query-cost';
import { MAX_TOKENS, maxAliasesRule, maxDirectivesRule } from './lib/validation-rules';
import type { Logger } from './logger';

export const SUBSCRIPTIONS_PATH = '/graphql';

/** After this long, sockets that did not answer our close frame are cut. */
const CLOSE_GRACE_MS = 1_000;

/** What a subscription's resolvers get: the request context plus the change feed. */
export interface SubscriptionContext extends Context {
  /**
   * `load(subject)` pushed whenever one of `subjects` changes, on any instance, throttled
   * per subject (see CounterFeed). Ends, and lets go of everything, when the client does.
   */
  watchCounters<T>(
    subjects: readonly Subject[],
    load: (subject: Subject) => Promise<T | null>,
  ): AsyncIterableIterator<T>;
}

export interface SubscriptionOptions {
  schema: GraphQLSchema;
  jwtSecret: string;
  production: boolean;
  counterEvents: CounterEvents;
  createContext(viewer: Viewer | null): Context;
  /** MAX_DEPTH and MAX_COMPLEXITY: every push re-runs the selection, so they apply here too. */
  limits: { maxDepth: number; maxComplexity: number };
  /** The same masking hook as HTTP responses use. */
  formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError;
  logger: Logger;
}

export interface Subscriptions {
  /** Says goodbye (1001) to every socket, cuts the ones that linger, and stops upgrading. */
  close(): Promise<void>;
}

/** Per-socket state kept by graphql-ws in `ctx.extra`. */
interface SocketState extends Record<PropertyKey, unknown> {
  viewer: Viewer | null;
}

/**
 * graphql-js reports a subscription that could not start (bad ids, say) as a plain result,
 * which graphql-ws would send as `next` then `complete`. Thrown from the stream instead, it
 * becomes the protocol's `error` message: "this subscription was refused".
 */
class SubscriptionRefused extends Error {
  constructor(readonly errors: readonly GraphQLError[]) {
    super(errors[0]?.message ?? 'Subscription refused');
  }
}

// eslint-disable-next-line require-yield -- a stream whose only event is the refusal
async function* refused(errors: readonly GraphQLError[]): AsyncGenerator<never> {
  throw new SubscriptionRefused(errors);
}

/** A request error as Apollo would report it over HTTP: same message and locations, with the standard code. */
function requestError(code: string, message: string, cause?: GraphQLError): GraphQLError {
  return new GraphQLError(message, {
    nodes: cause?.nodes,
    source: cause?.source,
    positions: cause?.positions,
    extensions: { ...cause?.extensions, code },
  });
}

const BARE_JWT = /^[\w-]+\.[\w-]+\.[\w-]*$/;

/**
 * The token of connection_init: `authorization` in any letter case (clients copy the HTTP
 * header's spelling), as "Bearer <token>" or the bare token, which is unambiguous here.
 */
function authorizationParam(params: Readonly<Record<string, unknown>> | undefined): unknown {
  if (!params) return undefined;
  const key = Object.keys(params).find((name) => name.toLowerCase() === 'authorization');
  const value = key === undefined ? undefined : params[key];
  return typeof value === 'string' && BARE_JWT.test(value.trim())
    ? `Bearer ${value.trim()}`
    : value;
}

/**
 * `counterUpdated` over graphql-ws on the HTTP server's own port and path. The token in
 * `connectionParams.authorization` is checked once, at connection_init; a bad one is
 * refused with 4403 (what graphql-ws servers send and its clients expect when a connection
 * is not allowed; they may retry with fresh connectionParams). Only subscriptions are
 * served here: queries and mutations go over HTTP, where CSRF prevention and the request
 * plugins apply.
 */
export function attachSubscriptions(app: Server, options: SubscriptionOptions): Subscriptions {
  const { schema, logger } = options;
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_BODY_BYTES });
  let closing = false;

  const format = (errors: readonly GraphQLError[]): GraphQLFormattedError[] =>
    errors.map((error) => options.formatError(error.toJSON(), error));

  const watchCounters = <T>(
    subjects: readonly Subject[],
    load: (subject: Subject) => Promise<T | null>,
  ): AsyncIterableIterator<T> =>
    new CounterFeed({
      events: options.counterEvents,
      subjects,
      load,
      onLoadError: (error, subject) =>
        logger.error({ err: error, subject }, 'could not read counters for a subscription push'),
    });

  useServer<Record<string, unknown>, SocketState>(
    {
      onConnect: async (ctx) => {
        const header = authorizationParam(ctx.connectionParams);
        try {
          if (header !== undefined && header !== null && typeof header !== 'string') {
            throw new UnauthenticatedError('authorization must be a string');
          }
          ctx.extra.viewer = await authenticate(header ?? undefined, options.jwtSecret);
          return true;
        } catch (error) {
          logger.debug({ err: error }, 'WebSocket connection refused');
          // 4403 as graphql-ws clients expect, with the code HTTP clients get as the reason
          // (graphql-ws would say only "Forbidden"); its own close after `false` is a no-op.
          const reason = error instanceof UnauthenticatedError ? error.message : 'Invalid token';
          ctx.extra.socket.close(CloseCode.Forbidden, `UNAUTHENTICATED: ${reason}`.slice(0, 123));
          return false;
        }
      },
      onSubscribe: (ctx, _id, payload) => {
        let document;
        try {
          document = parse(payload.query, { maxTokens: MAX_TOKENS });
        } catch (error) {
          if (!(error instanceof GraphQLError)) throw error;
          return [requestError('GRAPHQL_PARSE_FAILED', error.message, error)];
        }
        const invalid = validate(schema, document, [
          ...specifiedRules,
          maxAliasesRule(),
          maxDirectivesRule(),
        ]);
        if (invalid.length > 0) {
          return invalid.map((error) =>
            requestError('GRAPHQL_VALIDATION_FAILED', error.message, error),
          );
        }
        const operation = getOperationAST(document, payload.operationName);
        if (!operation) {
          return [
            requestError(
              'OPERATION_RESOLUTION_FAILURE',
              'Could not pick the operation: name one with operationName',
            ),
          ];
        }
        if (operation.operation !== 'subscription') {
          return [
            requestError(
              'BAD_REQUEST',
              `Only subscriptions are served over WebSocket; send ${operation.operation}s to POST ${SUBSCRIPTIONS_PATH}`,
            ),
          ];
        }
        const variables = getVariableValues(
          schema,
          operation.variableDefinitions ?? [],
          payload.variables ?? {},
        );
        if (variables.errors) {
          return variables.errors.map((error) =>
            requestError('BAD_USER_INPUT', error.message, error),
          );
        }
        // The same order as over HTTP: depth before cost.
        const measure = measureOperation(schema, document, operation, variables.coerced);
        if (measure.depth > options.limits.maxDepth) {
          return [new QueryTooDeepError(measure.depth, options.limits.maxDepth, measure.truncated)];
        }
        if (measure.cost > options.limits.maxComplexity) {
          return [new QueryTooComplexError(measure.cost, options.limits.maxComplexity)];
        }
        const contextValue: SubscriptionContext = Object.assign(
          options.createContext(ctx.extra.viewer ?? null),
          { watchCounters },
        );
        const args: ExecutionArgs = {
          schema,
          document,
          operationName: payload.operationName,
          variableValues: payload.variables,
          contextValue,
        };
        return args;
      },
      subscribe: async (args) => {
        const result = await subscribe(args);
        return isFailure(result) ? refused(result.errors) : result;
      },
      onNext: (_ctx, _id, _payload, _args, result) =>
        result.errors ? { ...result, errors: format(result.errors) } : undefined,
      onError: (_ctx, _id, _payload, errors) =>
        format(
          errors.flatMap((error) =>
            error.originalError instanceof SubscriptionRefused
              ? error.originalError.errors
              : [error],
          ),
        ),
      isProd: options.production,
    },
    wss,
  );

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path !== SUBSCRIPTIONS_PATH || closing) {
      // The HTTP server dropped its error handler when it handed the socket over.
      socket.once('error', () => socket.destroy());
      const status = closing ? '503 Service Unavailable' : '404 Not Found';
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  };
  app.on('upgrade', onUpgrade);

  return {
    async close() {
      closing = true;
      // Closing a socket completes its subscriptions (graphql-ws calls return() on each),
      // which removes their change listeners and timers.
      for (const socket of wss.clients) socket.close(1001, 'Server shutting down');
      const cut = setTimeout(() => {
        for (const socket of wss.clients) socket.terminate();
      }, CLOSE_GRACE_MS);
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      clearTimeout(cut);
    },
  };
}

function isFailure(
  result: ExecutionResult | AsyncIterable<unknown>,
): result is ExecutionResult & { errors: readonly GraphQLError[] } {
  return !(Symbol.asyncIterator in result) && (result.errors?.length ?? 0) > 0;
}

import type { IncomingMessage, ServerOptions, ServerResponse } from 'node:http';
import {
  type ApolloServer,
  type BaseContext,
  HeaderMap,
  type HTTPGraphQLRequest,
} from '@apollo/server';
import { AppError } from './errors';
import { acceptRequestId, type RequestScope, runInRequestScope } from './request-scope';

export const MAX_BODY_BYTES = 1024 * 1024;

/** What a plain route such as /healthz answers: JSON, or text of a given content type. */
export type RouteResponse =
  { status: number; body: unknown } | { status: number; text: string; contentType: string };

/** One finished (or abandoned) response, for the access log and metrics. */
export interface ResponseInfo {
  scope: RequestScope;
  method: string;
  /** `/graphql`, a route of `routes`, or `other`: never the raw path, which clients choose. */
  route: string;
  status: number;
  durationMs: number;
  /** False when the client went away before the response was complete. */
  completed: boolean;
}

export interface HttpRoutes {
  apollo: ApolloServer<BaseContext>;
  createContext: (req: IncomingMessage, scope: RequestScope) => Promise<BaseContext>;
  /**
   * Run each request in an AsyncLocalStorage scope (`currentRequestScope()`): only read
   * replica routing needs it, and on Node 20 its promise hooks tax every resolver.
   */
  scopeStorage?: boolean;
  /** Plain routes such as /healthz: path → handler returning status and body. */
  routes: Record<string, () => Promise<RouteResponse>>;
  /** Called once per response, after it ended. */
  onResponse?: (info: ResponseInfo) => void;
  /** A failure of this handler itself (not a GraphQL error), answered with a masked 500. */
  onError?: (error: unknown, requestId: string) => void;
  /**
   * REQUEST_TIMEOUT_MS: how long Apollo may take to answer once the body is read; then the
   * client gets 503 INTERNAL_SERVER_ERROR "Request timed out".
   */
  answerTimeoutMs?: number;
  /** GraphiQL, the dashboard and their assets (src/web): true when it answered the request. */
  web?: (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<boolean>;
}

/**
 * Node's own limits on receiving a request (REQUEST_TIMEOUT_MS for headers and body): a
 * client that trickles bytes (slowloris) gets 408 and its socket closed, instead of
 * holding the socket for Node's default of five minutes. Checked every quarter timeout.
 */
export function httpServerOptions(requestTimeoutMs: number): ServerOptions {
  return {
    requestTimeout: requestTimeoutMs,
    headersTimeout: requestTimeoutMs,
    connectionsCheckingInterval: Math.min(30_000, Math.max(50, Math.round(requestTimeoutMs / 4))),
  };
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code: 'BAD_REQUEST' | 'INTERNAL_SERVER_ERROR' = 'BAD_REQUEST',
  ) {
    super(message);
  }
}

/**
 * The node:http request handler: /graphql goes to Apollo, a few plain routes sit beside
 * it. We read the body ourselves so its size limit and malformed JSON give a clean
 * 413/400 with a JSON error instead of reaching Apollo or crashing. Every response carries
 * the request's `x-request-id`; the request's RequestScope goes into its context.
 */
export function createRequestHandler(options: HttpRoutes) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const scope: RequestScope = {
      requestId: acceptRequestId(req.headers['x-request-id']),
      startedAt: performance.now(),
      readFromPrimary: false,
      logged: false,
    };
    res.setHeader('x-request-id', scope.requestId);
    const url = parseUrl(req.url);
    const { onResponse } = options;
    if (onResponse) {
      const path = url?.pathname ?? '';
      const route = path === '/graphql' || Object.hasOwn(options.routes, path) ? path : 'other';
      res.once('close', () =>
        onResponse({
          scope,
          method: req.method ?? 'GET',
          route,
          status: res.statusCode,
          durationMs: performance.now() - scope.startedAt,
          completed: res.writableFinished,
        }),
      );
    }
    if (options.scopeStorage) {
      await runInRequestScope(scope, () => handle(req, res, url, scope, options));
    } else {
      await handle(req, res, url, scope, options);
    }
  };
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL | null,
  scope: RequestScope,
  { apollo, createContext, routes, onError, answerTimeoutMs, web }: HttpRoutes,
): Promise<void> {
  const { requestId } = scope;
  try {
    if (!url) throw new HttpError(400, 'Malformed request URL');
    if (web && (await web(req, res, url))) return;
    if (url.pathname === '/graphql') {
      await serveGraphQL(req, res, url, apollo, () => createContext(req, scope), answerTimeoutMs);
      return;
    }
    const route = Object.hasOwn(routes, url.pathname) ? routes[url.pathname] : undefined;
    if (route && req.method === 'GET') {
      const response = await route();
      if ('text' in response) sendText(res, response.status, response.contentType, response.text);
      else sendJson(res, response.status, response.body);
      return;
    }
    sendJson(res, 404, {
      errors: [{ message: 'Not found', extensions: { code: 'BAD_REQUEST' } }],
    });
  } catch (error) {
    if (error instanceof HttpError) {
      if (!res.headersSent) {
        sendJson(res, error.status, {
          errors: [{ message: error.message, extensions: { code: error.code } }],
        });
      } else {
        res.destroy();
      }
      return;
    }
    onError?.(error, requestId);
    if (!res.headersSent) {
      sendJson(res, 500, {
        errors: [
          {
            message: 'Internal server error',
            extensions: { code: 'INTERNAL_SERVER_ERROR', requestId },
          },
        ],
      });
    } else {
      res.destroy();
    }
  }
}

function parseUrl(raw: string | undefined): URL | null {
  try {
    return new URL(raw ?? '/', 'http://localhost');
  } catch {
    return null;
  }
}

async function serveGraphQL(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  apollo: ApolloServer<BaseContext>,
  createContext: () => Promise<BaseContext>,
  answerTimeoutMs: number | undefined,
): Promise<void> {
  const headers = new HeaderMap();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  const httpGraphQLRequest: HTTPGraphQLRequest = {
    method: (req.method ?? 'GET').toUpperCase(),
    headers,
    search: url.search.slice(1),
    body: req.method === 'POST' ? await readJsonBody(req) : undefined,
  };
  // Apollo masks a context that failed unexpectedly without a plugin hook that knows the
  // request; rethrown here, it is logged and answered under the request id like any failure.
  let contextFailure: unknown;
  const context = async (): Promise<BaseContext> => {
    try {
      return await createContext();
    } catch (error) {
      if (!(error instanceof AppError)) contextFailure = error;
      throw error;
    }
  };
  const response = await withDeadline(
    apollo.executeHTTPGraphQLRequest({ httpGraphQLRequest, context }),
    answerTimeoutMs,
  );
  if (contextFailure !== undefined) throw contextFailure;
  res.statusCode = response.status ?? 200;
  for (const [name, value] of response.headers) res.setHeader(name, value);
  if (response.body.kind === 'complete') {
    res.end(response.body.string);
    return;
  }
  for await (const chunk of response.body.asyncIterator) res.write(chunk);
  res.end();
}

/**
 * graphql-js 16 cannot abort an execution: past the deadline the client is answered, and
 * the work already started (bounded by the depth and cost limits) finishes unseen. A
 * mutation may therefore still have written; the client learns only that the answer is lost.
 */
function withDeadline<T>(work: Promise<T>, ms: number | undefined): Promise<T> {
  if (ms === undefined) return work;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new HttpError(503, 'Request timed out', 'INTERNAL_SERVER_ERROR')),
      ms,
    );
  });
  // race() subscribes to `work`, so its late failure is handled, not an unhandled rejection.
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > MAX_BODY_BYTES) throw new HttpError(413, 'Request body is larger than 1 MB');
  const { chunks, size } = await readBody(req);
  if (size > MAX_BODY_BYTES) throw new HttpError(413, 'Request body is larger than 1 MB');
  // Most bodies arrive in one chunk: no copy then.
  const text = (chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)).toString('utf8');
  const type = req.headers['content-type'] ?? '';
  // Non-JSON bodies go to Apollo as they are; it answers them with its own 400.
  if (!/^application\/(.+\+)?json/i.test(type)) return text;
  if (text.trim() === '') throw new HttpError(400, 'Request body is empty');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new HttpError(400, 'Request body is not valid JSON');
  }
}

/**
 * The request's bytes, up to MAX_BODY_BYTES (`size` counts all of them). Events rather than
 * `for await`: the async iterator costs ~3 % of a small request's CPU.
 */
export function readBody(req: IncomingMessage): Promise<{ chunks: Buffer[]; size: number }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      // Past the limit we keep reading and drop the bytes (as body-parser does): stopping
      // would leave the request mid-upload, and the connection would then hang half open
      // instead of carrying our 413 and going back to keep-alive.
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    };
    const finish = (error: boolean) => {
      req.off('data', onData).off('end', onEnd).off('error', onCut).off('close', onClose);
      // The client went away, or Node cut it off after REQUEST_TIMEOUT_MS (and answered 408
      // itself): a client's doing, not a failure of ours to log as one.
      if (error) reject(new HttpError(400, 'Request body was cut off'));
      else resolve({ chunks, size });
    };
    const onEnd = () => finish(false);
    const onCut = () => finish(true);
    const onClose = () => finish(!req.complete);
    req.on('data', onData).on('end', onEnd).on('error', onCut).on('close', onClose);
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  sendText(res, status, 'application/json; charset=utf-8', JSON.stringify(body));
}

function sendText(res: ServerResponse, status: number, contentType: string, text: string): void {
  res.writeHead(status, {
    'content-type': contentType,
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  type ApolloServer,
  type BaseContext,
  HeaderMap,
  type HTTPGraphQLRequest,
} from '@apollo/server';

export const MAX_BODY_BYTES = 1024 * 1024;

export interface HttpRoutes {
  apollo: ApolloServer<BaseContext>;
  createContext: (req: IncomingMessage) => Promise<BaseContext>;
  /** Plain JSON routes such as /healthz: path → handler returning status and body. */
  routes: Record<string, () => Promise<{ status: number; body: unknown }>>;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The node:http request handler: /graphql goes to Apollo, a few JSON routes sit beside
 * it. We read the body ourselves so its size limit and malformed JSON give a clean
 * 413/400 with a JSON error instead of reaching Apollo or crashing.
 */
export function createRequestHandler({ apollo, createContext, routes }: HttpRoutes) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (url.pathname === '/graphql') {
        await serveGraphQL(req, res, url, apollo, createContext);
        return;
      }
      const route = routes[url.pathname];
      if (route && req.method === 'GET') {
        const { status, body } = await route();
        sendJson(res, status, body);
        return;
      }
      sendJson(res, 404, {
        errors: [{ message: 'Not found', extensions: { code: 'BAD_REQUEST' } }],
      });
    } catch (error) {
      const status = error instanceof HttpError ? error.status : 500;
      const message = error instanceof HttpError ? error.message : 'Internal server error';
      if (!res.headersSent) {
        sendJson(res, status, {
          errors: [
            {
              message,
              extensions: { code: status === 500 ? 'INTERNAL_SERVER_ERROR' : 'BAD_REQUEST' },
            },
          ],
        });
      } else {
        res.destroy();
      }
    }
  };
}

async function serveGraphQL(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  apollo: ApolloServer<BaseContext>,
  createContext: (req: IncomingMessage) => Promise<BaseContext>,
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
  const response = await apollo.executeHTTPGraphQLRequest({
    httpGraphQLRequest,
    context: () => createContext(req),
  });
  res.statusCode = response.status ?? 200;
  for (const [name, value] of response.headers) res.setHeader(name, value);
  if (response.body.kind === 'complete') {
    res.end(response.body.string);
    return;
  }
  for await (const chunk of response.body.asyncIterator) res.write(chunk);
  res.end();
}

async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > MAX_BODY_BYTES) throw new HttpError(413, 'Request body is larger than 1 MB');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    // Past the limit we keep reading and drop the bytes (as body-parser does): leaving the
    // loop would destroy the request mid-upload, and the connection would then hang half
    // open instead of carrying our 413 and going back to keep-alive.
    if (size <= MAX_BODY_BYTES) chunks.push(chunk as Buffer);
  }
  if (size > MAX_BODY_BYTES) throw new HttpError(413, 'Request body is larger than 1 MB');
  const text = Buffer.concat(chunks).toString('utf8');
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

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

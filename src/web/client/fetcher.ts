import type { GraphiQLProps } from 'graphiql';
import { type DocumentNode, getOperationAST, parse } from 'graphql';
import { type Client, createClient } from 'graphql-ws';

type Fetcher = GraphiQLProps['fetcher'];
type FetcherParams = Parameters<Fetcher>[0];
/**
 * GraphiQL's types still name graphql-js's ExecutionResult (errors as GraphQLError
 * objects); what it reads of a result is its JSON form, which is what we hand it.
 */
type FetcherResult = Awaited<ReturnType<Fetcher>>;

/**
 * GraphiQL's fetcher: queries and mutations are POSTed as JSON (which also satisfies
 * Apollo's CSRF prevention), subscriptions go over graphql-ws on the same path. The
 * header editor's Authorization travels as an HTTP header, or over the socket as
 * `connectionParams.authorization` (API.md), so a pasted bearer token works for both.
 */
export function createFetcher(endpoint: URL): Fetcher {
  const socketUrl = new URL(endpoint);
  socketUrl.protocol = endpoint.protocol === 'https:' ? 'wss:' : 'ws:';
  let socket: { authorization: string | undefined; client: Client } | undefined;

  // One socket at a time, opened for the token in use: a new token gets a new connection.
  const clientFor = (authorization: string | undefined): Client => {
    if (!socket || socket.authorization !== authorization) {
      void socket?.client.dispose();
      socket = {
        authorization,
        client: createClient({
          url: socketUrl.href,
          connectionParams: authorization ? { authorization } : {},
          lazy: true,
        }),
      };
    }
    return socket.client;
  };

  return (params, options) => {
    const headers = lowerCaseKeys(options?.headers ?? {});
    if (isSubscription(params, options?.documentAST)) {
      const results = clientFor(headers.authorization).iterate({
        query: params.query,
        operationName: params.operationName ?? undefined,
        variables: params.variables as Record<string, unknown> | undefined,
      });
      return results as unknown as FetcherResult;
    }
    return post(endpoint, params, headers);
  };
}

async function post(
  endpoint: URL,
  params: FetcherParams,
  headers: Record<string, string>,
): Promise<FetcherResult> {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: {
      accept: 'application/graphql-response+json, application/json',
      ...headers,
      'content-type': 'application/json',
    },
    body: JSON.stringify(params),
  });
  const text = await response.text();
  try {
    return JSON.parse(text) as FetcherResult;
  } catch {
    const message = `HTTP ${response.status}: ${text.slice(0, 200)}`;
    return { errors: [{ message }] } as unknown as FetcherResult;
  }
}

function isSubscription(params: FetcherParams, document: DocumentNode | undefined): boolean {
  try {
    const operation = getOperationAST(document ?? parse(params.query), params.operationName);
    return operation?.operation === 'subscription';
  } catch {
    // Not parseable: let the server answer with its GRAPHQL_PARSE_FAILED.
    return false;
  }
}

function lowerCaseKeys(headers: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers)
      .filter(([, value]) => value !== undefined && value !== null)
      .map(([name, value]) => [name.toLowerCase(), String(value)]),
  );
}

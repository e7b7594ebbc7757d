import { type Client, createClient } from 'graphql-ws';
import type { TypedDocumentString } from '../__generated__/graphql';

/**
 * The dashboard's whole GraphQL client: typed documents from codegen (as strings), sent
 * with fetch or over graphql-ws. A page of one's own needs nothing more.
 */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly codes: string[] = [],
  ) {
    super(message);
  }
}

interface Response<TResult> {
  data?: TResult | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

const endpoint = new URL('/graphql', window.location.href);

export async function request<TResult, TVariables>(
  document: TypedDocumentString<TResult, TVariables>,
  variables: TVariables,
): Promise<TResult> {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: {
      accept: 'application/graphql-response+json, application/json',
      'content-type': 'application/json',
    },
    body: JSON.stringify({ query: document.toString(), variables }),
  });
  let body: Response<TResult>;
  try {
    body = (await response.json()) as Response<TResult>;
  } catch {
    throw new ApiError(`The gateway answered HTTP ${response.status}`);
  }
  if (body.errors?.length || !body.data) {
    const errors = body.errors ?? [];
    throw new ApiError(
      errors.map((error) => error.message).join('; ') || `HTTP ${response.status}`,
      errors.map((error) => error.extensions?.code ?? 'UNKNOWN'),
    );
  }
  return body.data;
}

let socket: Client | undefined;

function client(): Client {
  const url = new URL(endpoint);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  // Reconnects on its own (with backoff) when the gateway restarts.
  socket ??= createClient({ url: url.href, retryAttempts: Infinity, lazy: true });
  return socket;
}

export interface Subscription {
  close(): void;
}

export function subscribe<TResult, TVariables>(
  document: TypedDocumentString<TResult, TVariables>,
  variables: TVariables,
  handlers: { next(data: TResult): void; error(error: ApiError): void },
): Subscription {
  const close = client().subscribe<TResult>(
    { query: document.toString(), variables: variables as Record<string, unknown> },
    {
      next: (result) => {
        if (result.data) handlers.next(result.data);
        else if (result.errors) handlers.error(new ApiError(result.errors[0]!.message));
      },
      error: (error) =>
        handlers.error(
          new ApiError(
            Array.isArray(error)
              ? String((error as { message: string }[])[0]?.message)
              : 'Live updates stopped',
          ),
        ),
      complete: () => undefined,
    },
  );
  return { close };
}

/** Calls `listener` with "connected" or "reconnecting" as the live socket comes and goes. */
export function onConnectionChange(listener: (state: 'connected' | 'reconnecting') => void): void {
  client().on('connected', () => listener('connected'));
  client().on('closed', () => listener('reconnecting'));
}

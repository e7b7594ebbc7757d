import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

/**
 * The HTTP request being served: its id and start time (logs, metrics, masked errors) and
 * whether its reads must go to the primary. It travels in the context; only with read
 * replicas is it also kept in AsyncLocalStorage, for the Database, which has no context.
 */
export interface RequestScope {
  readonly requestId: string;
  /** `performance.now()` when the request arrived. */
  readonly startedAt: number;
  /** Reads go to the primary from here on: the request wrote, or runs a mutation. */
  readFromPrimary: boolean;
  /** Set once the request's log line is written, so the HTTP layer writes none. */
  logged: boolean;
}

const storage = new AsyncLocalStorage<RequestScope>();

/** Runs `work` (one HTTP request, start to finish) with `scope` as the current scope. */
export function runInRequestScope<T>(scope: RequestScope, work: () => T): T {
  return storage.run(scope, work);
}

/** The scope of the request being served; undefined outside one (flusher, start-up, tests). */
export function currentRequestScope(): RequestScope | undefined {
  return storage.getStore();
}

/** At most 64 letters, digits, `.`, `_` or `-`: safe to log and echo in a header. */
const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * The client's (or the proxy's) `x-request-id` when it is well formed, so one id follows
 * the request through every hop; otherwise a new one. Anything else is dropped rather than
 * cleaned, so a header cannot inject text into logs.
 */
export function acceptRequestId(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return value !== undefined && REQUEST_ID.test(value) ? value : randomUUID();
}

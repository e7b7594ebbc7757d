import { GraphQLError } from 'graphql';

/**
 * Errors whose message and code are safe to show clients. `formatError` passes these
 * through; anything else is logged and masked as INTERNAL_SERVER_ERROR.
 * The codes are exactly the ones API.md lists.
 */
export type AppErrorCode =
  | 'BAD_USER_INPUT'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'QUERY_TOO_DEEP'
  | 'QUERY_TOO_COMPLEX'
  | 'RATE_LIMITED';

export abstract class AppError extends GraphQLError {
  abstract readonly code: AppErrorCode;

  protected constructor(message: string, code: AppErrorCode, extra: Record<string, unknown> = {}) {
    super(message, { extensions: { code, ...extra } });
  }
}

export class BadUserInputError extends AppError {
  readonly code = 'BAD_USER_INPUT';
  /** @param field the argument path the client sent, e.g. `input.title` or `first` */
  constructor(
    readonly field: string,
    problem: string,
  ) {
    super(`${field}: ${problem}`, 'BAD_USER_INPUT', { field });
  }
}

export class UnauthenticatedError extends AppError {
  readonly code = 'UNAUTHENTICATED';
  constructor(message = 'Sign in to do this') {
    super(message, 'UNAUTHENTICATED', { http: { status: 401 } });
  }
}

export class ForbiddenError extends AppError {
  readonly code = 'FORBIDDEN';
  constructor(message = 'This needs the admin role') {
    super(message, 'FORBIDDEN');
  }
}

export class NotFoundError extends AppError {
  readonly code = 'NOT_FOUND';
  constructor(what: string, id: string) {
    super(`No ${what} with id ${JSON.stringify(id)}`, 'NOT_FOUND', { id });
  }
}

export class ConflictError extends AppError {
  readonly code = 'CONFLICT';
  constructor(message: string, field?: string) {
    super(message, 'CONFLICT', field ? { field } : {});
  }
}

/** HTTP 400: the document nests fields deeper than MAX_DEPTH. Checked before cost. */
export class QueryTooDeepError extends AppError {
  readonly code = 'QUERY_TOO_DEEP';
  /** @param atLeast the document is deeper still: measuring stopped at `depth` */
  constructor(depth: number, limit: number, atLeast = false) {
    const measured = atLeast ? `over ${depth}` : String(depth);
    super(`Query depth ${measured} exceeds the limit of ${limit}`, 'QUERY_TOO_DEEP', {
      depth,
      limit,
      http: { status: 400 },
    });
  }
}

/** HTTP 400: the estimated cost of the operation is over MAX_COMPLEXITY. */
export class QueryTooComplexError extends AppError {
  readonly code = 'QUERY_TOO_COMPLEX';
  constructor(cost: number, limit: number) {
    super(`Query cost ${cost} exceeds the limit of ${limit}`, 'QUERY_TOO_COMPLEX', {
      cost,
      limit,
      http: { status: 400 },
    });
  }
}

/** HTTP 429 with Retry-After: nothing of the operation ran. */
export class RateLimitedError extends AppError {
  readonly code = 'RATE_LIMITED';
  constructor(message: string, retryAfter: number) {
    super(message, 'RATE_LIMITED', {
      retryAfter,
      http: { status: 429, headers: new Map([['retry-after', String(retryAfter)]]) },
    });
  }
}

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

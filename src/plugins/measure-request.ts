import type { GraphQLRequestContextDidResolveOperation } from '@apollo/server';
import type { Context } from '../context';
import { coerceVariables, measureOperation, type QueryMeasure } from '../lib/query-cost';

const measured = new WeakMap<object, QueryMeasure | null>();

/**
 * The depth, cost and root fields of the request's operation, computed once and shared by
 * the depth, cost and rate-limit plugins (Apollo hands each the same request context).
 * Null when no operation was resolved: execution then answers OPERATION_RESOLUTION_FAILURE.
 */
export function measureRequest(
  requestContext: GraphQLRequestContextDidResolveOperation<Context>,
): QueryMeasure | null {
  let measure = measured.get(requestContext);
  if (measure === undefined) {
    const { schema, document, operation, request } = requestContext;
    measure = operation
      ? measureOperation(
          schema,
          document,
          operation,
          coerceVariables(schema, operation, request.variables),
        )
      : null;
    measured.set(requestContext, measure);
  }
  return measure;
}

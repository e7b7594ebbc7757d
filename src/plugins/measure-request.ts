import type { GraphQLRequestContextDidResolveOperation } from '@apollo/server';
import { type DocumentNode, type OperationDefinitionNode, visit } from 'graphql';
import type { Context } from '../context';
import { operationAndFragments, perOperation } from '../lib/per-operation';
import {
  coerceVariables,
  measureOperation,
  SIZE_ARGUMENTS,
  type QueryMeasure,
} from '../lib/query-cost';

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
      ? (fixedMeasure(schema, document, operation) ??
        measureOperation(
          schema,
          document,
          operation,
          coerceVariables(schema, operation, request.variables),
        ))
      : null;
    measured.set(requestContext, measure);
  }
  return measure;
}

/**
 * The measure of an operation whose variables cannot change it, worked out once per parsed
 * operation: the hot operations either have no variables or use them only for ids
 * (`event(id: $id)`, `recordView(id: $id)`). Null when a variable sizes a list or drives a
 * directive (`@skip(if: $x)`): that measure is taken per request.
 */
const fixedMeasure = perOperation((schema, document, operation) =>
  variablesShape(document, operation) ? null : measureOperation(schema, document, operation, {}),
);

/** Whether a variable feeds an argument the measure reads, or any directive. */
function variablesShape(document: DocumentNode, operation: OperationDefinitionNode): boolean {
  let shapes = false;
  for (const definition of operationAndFragments(document, operation)) {
    visit(definition, {
      VariableDefinition: () => false, // a default value is not a use
      Argument(node) {
        if (SIZE_ARGUMENTS.has(node.name.value)) {
          visit(node.value, {
            Variable() {
              shapes = true;
            },
          });
        }
        return false;
      },
      Directive(node) {
        visit(node, {
          Variable() {
            shapes = true;
          },
        });
        return false;
      },
    });
  }
  return shapes;
}

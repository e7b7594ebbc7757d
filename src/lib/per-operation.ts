import {
  type DocumentNode,
  type ExecutableDefinitionNode,
  type GraphQLSchema,
  Kind,
  type OperationDefinitionNode,
} from 'graphql';

type OperationFn<T> = (
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
) => T;

/**
 * `compute`, worked out once per schema and parsed operation: Apollo keeps parsed documents,
 * so what depends on the document alone (not on variables) is not redone per request.
 */
export function perOperation<T>(compute: OperationFn<T>): OperationFn<T> {
  const bySchema = new WeakMap<GraphQLSchema, WeakMap<OperationDefinitionNode, T>>();
  return (schema, document, operation) => {
    let known = bySchema.get(schema);
    if (!known) bySchema.set(schema, (known = new WeakMap()));
    if (known.has(operation)) return known.get(operation) as T;
    const value = compute(schema, document, operation);
    known.set(operation, value);
    return value;
  };
}

/** The operation and the document's fragments: every definition its selections can reach. */
export function operationAndFragments(
  document: DocumentNode,
  operation: OperationDefinitionNode,
): ExecutableDefinitionNode[] {
  return [
    operation,
    ...document.definitions.filter((definition) => definition.kind === Kind.FRAGMENT_DEFINITION),
  ];
}

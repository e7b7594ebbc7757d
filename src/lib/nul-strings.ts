import { operationAndFragments, perOperation } from './per-operation';
import {
  type DocumentNode,
  type FieldNode,
  getArgumentValues,
  getNullableType,
  type GraphQLField,
  GraphQLString,
  type GraphQLInputType,
  type GraphQLSchema,
  isInputObjectType,
  isListType,
  type OperationDefinitionNode,
  TypeInfo,
  visit,
  visitWithTypeInfo,
} from 'graphql';

/**
 * The first String argument (by its path, e.g. `filter.city` or `input.title`) holding
 * U+0000, or null. PostgreSQL text cannot hold that character at all: sent as a parameter
 * it fails the statement, which would surface as INTERNAL_SERVER_ERROR for what is a
 * client's bad input. IDs are not checked: a malformed id stays "not found" (null).
 */
export function findNulString(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: () => Record<string, unknown>,
): string | null {
  if (!takesStrings(schema, document, operation)) return null;
  const values = variables();
  let found: string | null = null;
  visitArguments(schema, document, operation, (field, node) => {
    if (found !== null || !node.arguments?.length) return;
    let args: Record<string, unknown>;
    try {
      args = getArgumentValues(field, node, values);
    } catch {
      return; // execution refuses the argument itself
    }
    for (const argument of field.args) {
      found ??= findIn(args[argument.name], argument.type, argument.name);
    }
  });
  return found;
}

/**
 * Whether any argument the operation gives (literally or through a variable) can hold a
 * String; arguments left out take the schema's defaults, which hold no U+0000. Most
 * operations (every hot one: pages, look-ups by id, `recordView`) give none, and that is
 * found out once per parsed operation, not per request.
 */
const takesStrings = perOperation((schema, document, operation) => {
  let found = false;
  visitArguments(schema, document, operation, (field, node) => {
    for (const given of node.arguments ?? []) {
      const argument = field.args.find((candidate) => candidate.name === given.name.value);
      found ||= argument !== undefined && holdsStrings(argument.type, new Set());
    }
  });
  return found;
});

function holdsStrings(type: GraphQLInputType, seen: Set<GraphQLInputType>): boolean {
  const nullable = getNullableType(type);
  if (isListType(nullable)) return holdsStrings(nullable.ofType, seen);
  if (isInputObjectType(nullable)) {
    if (seen.has(nullable)) return false;
    seen.add(nullable);
    return Object.values(nullable.getFields()).some((field) => holdsStrings(field.type, seen));
  }
  return nullable === GraphQLString;
}

/** Calls `visitor` for every field of the operation and of the document's fragments. */
function visitArguments(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  visitor: (field: GraphQLField<unknown, unknown>, node: FieldNode) => void,
): void {
  for (const definition of operationAndFragments(document, operation)) {
    const typeInfo = new TypeInfo(schema);
    visit(
      definition,
      visitWithTypeInfo(typeInfo, {
        Field(node) {
          const field = typeInfo.getFieldDef();
          if (field) visitor(field, node);
        },
      }),
    );
  }
}

function findIn(value: unknown, type: GraphQLInputType, path: string): string | null {
  if (value === null || value === undefined) return null;
  const nullable = getNullableType(type);
  if (isListType(nullable)) {
    if (!Array.isArray(value)) return null;
    for (const item of value) {
      const found = findIn(item, nullable.ofType, path);
      if (found !== null) return found;
    }
    return null;
  }
  if (isInputObjectType(nullable)) {
    for (const field of Object.values(nullable.getFields())) {
      const found = findIn(
        (value as Record<string, unknown>)[field.name],
        field.type,
        `${path}.${field.name}`,
      );
      if (found !== null) return found;
    }
    return null;
  }
  return nullable === GraphQLString && typeof value === 'string' && value.includes('\u0000')
    ? path
    : null;
}

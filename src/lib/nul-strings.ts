import {
  type DocumentNode,
  getArgumentValues,
  getNullableType,
  GraphQLString,
  type GraphQLInputType,
  type GraphQLSchema,
  isInputObjectType,
  isListType,
  Kind,
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
  variables: Record<string, unknown>,
): string | null {
  let found: string | null = null;
  const fragments = document.definitions.filter(
    (definition) => definition.kind === Kind.FRAGMENT_DEFINITION,
  );
  for (const definition of [operation, ...fragments]) {
    const typeInfo = new TypeInfo(schema);
    visit(
      definition,
      visitWithTypeInfo(typeInfo, {
        Field(node) {
          const field = typeInfo.getFieldDef();
          if (found !== null || !field || !node.arguments?.length) return;
          let values: Record<string, unknown>;
          try {
            values = getArgumentValues(field, node, variables);
          } catch {
            return; // execution refuses the argument itself
          }
          for (const argument of field.args) {
            found ??= findIn(values[argument.name], argument.type, argument.name);
          }
        },
      }),
    );
  }
  return found;
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

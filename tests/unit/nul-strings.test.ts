import { type GraphQLSchema, type OperationDefinitionNode, parse } from 'graphql';
import { findNulString } from '../../src/lib/nul-strings';
import { createSchema } from '../../src/schema';

let schema: GraphQLSchema;
beforeAll(async () => {
  schema = await createSchema();
});

/** findNulString on `source`, counting how often it asks for the variables. */
function check(source: string, variables: Record<string, unknown> = {}) {
  const document = parse(source);
  const operation = document.definitions[0] as OperationDefinitionNode;
  let asked = 0;
  const found = findNulString(schema, document, operation, () => {
    asked++;
    return variables;
  });
  return { found, asked };
}

describe('findNulString', () => {
  it('finds U+0000 in a String argument, given literally or through a variable', () => {
    expect(check('{ events(filter: { city: "a\\u0000b" }) { totalCount } }').found).toBe(
      'filter.city',
    );
    const viaVariable = check(
      'query ($city: String) { events(filter: { city: $city }) { totalCount } }',
      { city: 'x\u0000' },
    );
    expect(viaVariable).toEqual({ found: 'filter.city', asked: 1 });
    expect(check('{ events(filter: { city: "Beijing" }) { totalCount } }').found).toBeNull();
  });

  it('does not look at the variables when no given argument can hold a String', () => {
    // `events` takes a String-holding filter, but this operation does not give one.
    const page = check('query ($n: Int) { events(first: $n) { nodes { id title } } }', { n: 20 });
    expect(page).toEqual({ found: null, asked: 0 });
  });
});

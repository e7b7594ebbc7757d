import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema, getIntrospectionQuery, parse, specifiedRules, validate } from 'graphql';
import {
  MAX_ALIASES,
  MAX_DIRECTIVES,
  MAX_TOKENS,
  maxAliasesRule,
  maxDirectivesRule,
} from '../../src/lib/validation-rules';

const schema = buildSchema(
  readFileSync(join(__dirname, '..', '..', 'schema', 'schema.graphql'), 'utf8'),
);
const errors = (query: string) =>
  validate(schema, parse(query), [...specifiedRules, maxAliasesRule(), maxDirectivesRule()]).map(
    (error) => error.message,
  );

const aliased = (count: number) =>
  `{ ${Array.from({ length: count }, (_, i) => `a${i}: __typename`).join(' ')} }`;

describe('per-document validation limits', () => {
  it(`allows ${MAX_ALIASES} aliases and refuses one more, naming both numbers`, () => {
    expect(errors(aliased(MAX_ALIASES))).toEqual([]);
    expect(errors(aliased(MAX_ALIASES + 1))).toEqual([
      `The document has ${MAX_ALIASES + 1} aliases; the limit is ${MAX_ALIASES}`,
    ]);
  });

  it('counts aliases in fragments too', () => {
    const half = Array.from({ length: 20 }, (_, i) => `f${i}: id`).join(' ');
    const query = `{ event(slug: "x") { ...A } talk(slug: "y") { ...B } }
      fragment A on Event { ${half} } fragment B on Talk { ${half} }`;
    expect(errors(query)).toEqual([`The document has 40 aliases; the limit is ${MAX_ALIASES}`]);
  });

  it(`allows ${MAX_DIRECTIVES} directives and refuses one more`, () => {
    const fields = (count: number) =>
      `query ($t: Boolean!) { ${Array.from(
        { length: count },
        (_, i) => `event(slug: "x") { f${i}: id @include(if: $t) }`,
      ).join(' ')} }`;
    // The aliases are not what is measured here.
    const only = (query: string) =>
      errors(query).filter((message) => message.includes('directives'));
    expect(only(fields(MAX_DIRECTIVES))).toEqual([]);
    expect(only(fields(MAX_DIRECTIVES + 1))).toEqual([
      `The document has ${MAX_DIRECTIVES + 1} directives; the limit is ${MAX_DIRECTIVES}`,
    ]);
  });

  it('lets the standard introspection query through, well under the token limit', () => {
    const query = getIntrospectionQuery();
    expect(errors(query)).toEqual([]);
    expect(() => parse(query, { maxTokens: MAX_TOKENS / 5 })).not.toThrow();
  });
});

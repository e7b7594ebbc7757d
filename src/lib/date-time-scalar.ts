import { GraphQLError, GraphQLScalarType, type ValueNode } from 'graphql';
import { DateTimeResolver } from 'graphql-scalars';

/**
 * Years both databases store and compare alike. RFC 3339 allows year 0000, which JavaScript
 * reads as 1 BC: PostgreSQL has no year 0, so such a value (or a cursor carrying it) failed
 * inside the database as an internal error instead of being refused as bad input.
 */
const FIRST_YEAR = 1;
const LAST_YEAR = 9999;

function withinYears(date: Date): Date {
  const year = date.getUTCFullYear();
  if (year < FIRST_YEAR || year > LAST_YEAR) {
    throw new GraphQLError(
      `DateTime must fall in the years ${String(FIRST_YEAR).padStart(4, '0')} to ${LAST_YEAR} (UTC)`,
    );
  }
  return date;
}

/** graphql-scalars' DateTime (same name, description and output), limited to years 0001–9999 UTC. */
export const DateTimeScalar = new GraphQLScalarType<Date | null, unknown>({
  name: DateTimeResolver.name,
  description: DateTimeResolver.description,
  specifiedByURL: DateTimeResolver.specifiedByURL,
  extensions: DateTimeResolver.extensions,
  serialize: (value) => DateTimeResolver.serialize(value),
  parseValue: (value) => withinYears(DateTimeResolver.parseValue(value) as Date),
  parseLiteral: (ast: ValueNode, variables) =>
    withinYears(DateTimeResolver.parseLiteral(ast, variables) as Date),
});

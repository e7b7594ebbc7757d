import type { ApolloServerPlugin } from '@apollo/server';
import type { Context } from '../context';
import { BadUserInputError } from '../errors';
import { findNulString } from '../lib/nul-strings';
import { coerceVariables } from '../lib/query-cost';

/**
 * Refuses a String argument containing U+0000 with BAD_USER_INPUT naming it, before
 * anything runs: no database stores that character (see findNulString).
 */
export function nulStringsPlugin(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, request }) {
          if (!operation) return;
          const field = findNulString(schema, document, operation, () =>
            coerceVariables(schema, operation, request.variables),
          );
          if (field === null) return;
          const error = new BadUserInputError(field, 'must not contain the NUL character (U+0000)');
          // Refused before execution, like a variable that does not coerce: HTTP 400.
          error.extensions.http = { status: 400 };
          throw error;
        },
      };
    },
  };
}

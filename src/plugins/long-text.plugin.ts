import type { ApolloServerPlugin } from '@apollo/server';
import type { Context } from '../context';
import { namesLongText } from '../lib/long-text';

/**
 * Before execution: an operation that names no long text field (abstract, bio…) gets
 * loaders that do not read those columns. A page of 100 talks would otherwise carry 100
 * abstracts nobody asked for through PostgreSQL, the wire and the row parser.
 */
export function longTextPlugin(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, contextValue }) {
          if (!namesLongText(document)) contextValue.skipLongText();
        },
      };
    },
  };
}

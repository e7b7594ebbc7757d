import type { ApolloServerPlugin } from '@apollo/server';
import type { Context } from '../context';
import type { Database } from '../db/database';

/**
 * A mutation reads from the primary from the start (with read replicas configured): its
 * answer must show what it wrote, and some of its writes (views in Redis) are no SQL the
 * Database could notice. Queries keep reading from replicas.
 */
export function readRoutingPlugin(db: Database): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation }) {
          if (operation?.operation !== 'query') db.readFromPrimary();
        },
      };
    },
  };
}

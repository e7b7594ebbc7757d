import type { ApolloServerPlugin } from '@apollo/server';
import type { Context } from '../context';
import type { Metrics } from '../metrics';
import { responseErrorCodes } from './request-log.plugin';

/**
 * Per-operation request counts and latency, and errors by code. An operation that never
 * resolved (a parse or validation error) is counted as `unknown`.
 */
export function metricsPlugin(metrics: Metrics): ApolloServerPlugin<Context> {
  return {
    async requestDidStart({ contextValue }) {
      const startedAt = contextValue.scope?.startedAt ?? performance.now();
      return {
        async willSendResponse({ operation, response }) {
          metrics.observeOperation(
            operation ? metrics.operationLabel(operation.name?.value) : 'unknown',
            operation?.operation ?? 'unknown',
            (performance.now() - startedAt) / 1000,
            responseErrorCodes(response),
          );
        },
      };
    },
  };
}

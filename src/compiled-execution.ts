import type {
  GatewayExecutionResult,
  GatewayGraphQLRequestContext,
  GatewayInterface,
} from '@apollo/server-gateway-interface';
import {
  type DocumentNode,
  execute,
  GraphQLError,
  type GraphQLSchema,
  type OperationDefinitionNode,
  printSchema,
} from 'graphql';
import { getVariableValues } from 'graphql/execution/values';
import { type CompiledQuery, compileQuery, isCompiledQuery } from 'graphql-jit';

/** A document seen this often is compiled: compiling costs more than one execution. */
const COMPILE_AFTER_RUNS = 2;

interface DocumentEntry {
  runs: number;
  /** By operation name ('' for the only, anonymous one); null where graphql-jit declined. */
  compiled: Map<string, CompiledQuery | null>;
}

/**
 * Runs queries and mutations with graphql-jit: an operation that recurs is compiled once
 * into a function for its selection, which skips graphql-js's per-field bookkeeping
 * (argument values, paths, promise-per-object). Apollo keeps the rest — parsing, validation
 * (both cached per document in its document store), plugins, error formatting — since this
 * plugs in as its executor.
 *
 * Anything where graphql-jit could differ from graphql-js goes to graphql-js instead, so
 * clients see the same answers: a document seen once, an operation graphql-jit cannot
 * compile, a subscription, and variables that fail coercion (graphql-js words those errors
 * and Apollo turns them into a 400 BAD_USER_INPUT).
 */
export class CompiledExecution {
  private readonly documents = new WeakMap<DocumentNode, DocumentEntry>();

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly compileAfterRuns = COMPILE_AFTER_RUNS,
  ) {}

  async run(request: GatewayGraphQLRequestContext): Promise<GatewayExecutionResult> {
    const { document, context } = request;
    // Apollo passes no operation when none matched; graphql-js words that error.
    const operation = request.operation as OperationDefinitionNode | undefined;
    const variables = request.request.variables ?? {};
    const compiled =
      operation === undefined || operation.operation === 'subscription'
        ? null
        : this.compiled(request);
    if (compiled && this.variablesCoerce(operation!, variables)) {
      const result = await compiled.query(undefined, context, variables);
      return result.errors ? { ...result, errors: result.errors.map(asGraphQLJsError) } : result;
    }
    return Promise.resolve(
      execute({
        schema: this.schema,
        document,
        contextValue: context,
        variableValues: variables,
        operationName: request.request.operationName,
      }),
    );
  }

  /** Apollo as this executor's host: it hands every query and mutation to `run`. */
  asGateway(): GatewayInterface {
    return {
      onSchemaLoadOrUpdate: (callback) => {
        callback({ apiSchema: this.schema, coreSupergraphSdl: printSchema(this.schema) });
        return () => undefined;
      },
      load: () => Promise.resolve({ executor: (request) => this.run(request) }),
      stop: () => Promise.resolve(),
    };
  }

  private compiled({
    document,
    operationName,
  }: GatewayGraphQLRequestContext): CompiledQuery | null {
    let entry = this.documents.get(document);
    if (!entry) {
      entry = { runs: 0, compiled: new Map() };
      this.documents.set(document, entry);
    }
    if (++entry.runs < this.compileAfterRuns) return null;
    const name = operationName ?? '';
    let compiled = entry.compiled.get(name);
    if (compiled === undefined) {
      const result = compileQuery(this.schema, document, operationName ?? undefined);
      compiled = isCompiledQuery(result) ? result : null;
      entry.compiled.set(name, compiled);
    }
    return compiled;
  }

  private variablesCoerce(
    operation: OperationDefinitionNode,
    variables: Record<string, unknown>,
  ): boolean {
    const definitions = operation.variableDefinitions ?? [];
    if (definitions.length === 0) return true;
    return !('errors' in getVariableValues(this.schema, definitions, variables, { maxErrors: 1 }));
  }
}

/**
 * graphql-jit's errors leave `extensions` undefined when they have none, where graphql-js
 * always gives an object; Apollo's error formatting reads `extensions.code` and would fail.
 */
function asGraphQLJsError(error: GraphQLError): GraphQLError {
  if ((error.extensions as GraphQLError['extensions'] | undefined) !== undefined) return error;
  const copy = new GraphQLError(error.message, {
    path: error.path,
    originalError: error.originalError ?? undefined,
  });
  (copy as { locations?: GraphQLError['locations'] }).locations = error.locations;
  return copy;
}

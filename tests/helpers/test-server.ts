import assert from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import type { GraphQLFormattedError } from 'graphql';
import { signToken, type Role } from '../../src/auth';
import { loadConfig, type Config } from '../../src/config';
import { seedRealEvent } from '../../src/db/seed/seed-real-event';
import { createLogger, type Logger } from '../../src/logger';
import { createServer, type TalkgraphServer } from '../../src/server';
import { createScratchDatabase } from './postgres';

export const TEST_JWT_SECRET = 'talkgraph-test-secret-0123456789abcdef';
export const usingPostgres = process.env.TEST_DB === 'postgres';

/** `describe`, or `describe.skip` when this project's database is knowingly absent (see global setup). */
export const describeDb: jest.Describe =
  process.env.TALKGRAPH_SKIP_POSTGRES && usingPostgres ? describe.skip : describe;

export interface ExecResult<TData> {
  data: TData | null | undefined;
  errors: readonly GraphQLFormattedError[] | undefined;
}

export interface TestServer {
  server: TalkgraphServer;
  config: Config;
  /** The DATABASE_URL it runs on; `shareWith` hands it to a second gateway. */
  databaseUrl: string;
  /** Every SQL statement sent since the last `sql.length = 0`. */
  sql: string[];
  /** Batches of commands sent to Redis (round trips) since the last reset to 0. */
  redis: { roundTrips: number; fallbacks: number };
  exec<TData, TVars extends Record<string, unknown>>(
    document: TypedDocumentNode<TData, TVars>,
    variables?: TVars,
    options?: { token?: string },
  ): Promise<ExecResult<TData>>;
  token(sub: string, role?: Role): Promise<string>;
  /** Listens on a free loopback port; returns the base URL. */
  listen(): Promise<string>;
  stop(): Promise<void>;
}

export interface TestServerOptions {
  /** Default true, but false with `shareWith` (the other gateway seeded it already). */
  seed?: boolean;
  env?: Record<string, string>;
  /**
   * Another gateway on the same database, as a second instance of one deployment. It
   * keeps owning the database: stop this one first, as only the owner drops it.
   */
  shareWith?: TestServer;
  /** Where the gateway logs; silent by default. */
  logger?: Logger;
}

/**
 * A gateway on a fresh database of the project's kind (SQLite file or a new PostgreSQL
 * database), migrated and, unless `seed: false`, holding the real 掘力计划 第21期 event.
 */
export async function createTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  let databaseUrl: string;
  let dropDatabase: () => Promise<void>;
  if (options.shareWith) {
    databaseUrl = options.shareWith.databaseUrl;
    dropDatabase = async () => undefined;
  } else if (usingPostgres) {
    const scratch = await createScratchDatabase();
    databaseUrl = scratch.url;
    dropDatabase = scratch.drop;
  } else {
    const dir = mkdtempSync(join(tmpdir(), 'talkgraph-test-'));
    databaseUrl = `sqlite:${join(dir, 'test.sqlite')}`;
    dropDatabase = async () => rmSync(dir, { recursive: true, force: true });
  }
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: databaseUrl,
    JWT_SECRET: TEST_JWT_SECRET,
    LOG_LEVEL: 'silent',
    ...options.env,
  });
  const sql: string[] = [];
  const redis = { roundTrips: 0, fallbacks: 0 };
  const server = await createServer(config, {
    logger: options.logger ?? createLogger('silent'),
    // Every operation runs compiled from its first run, so the suites exercise graphql-jit;
    // tests/unit/compiled-execution.test.ts covers the graphql-js path against it.
    compileAfterRuns: 1,
    onQuery: (statement) => sql.push(statement),
    onRedisRoundTrip: () => redis.roundTrips++,
    onRedisFallback: () => redis.fallbacks++,
  });
  if (options.seed ?? !options.shareWith) await seedRealEvent(server.db);
  sql.length = 0;

  return {
    server,
    config,
    databaseUrl,
    sql,
    redis,
    async exec(document, variables, execOptions = {}) {
      const contextValue = await server.contextFor(
        execOptions.token ? `Bearer ${execOptions.token}` : undefined,
      );
      const response = await server.apollo.executeOperation(
        { query: document, variables },
        { contextValue },
      );
      assert(response.body.kind === 'single');
      // Round-trip through JSON so tests see what a client sees (ISO strings, not Dates).
      const { data, errors } = JSON.parse(
        JSON.stringify(response.body.singleResult),
      ) as ExecResult<never>;
      return { data, errors };
    },
    token: (sub, role = 'viewer') => signToken({ id: sub, role }, TEST_JWT_SECRET),
    async listen() {
      await new Promise<void>((resolve) => server.app.listen(0, '127.0.0.1', resolve));
      return `http://127.0.0.1:${(server.app.address() as AddressInfo).port}`;
    },
    async stop() {
      await server.stop();
      await dropDatabase();
    },
  };
}

/** The `extensions.code` of each error, for compact assertions. */
export function codes(result: { errors?: readonly GraphQLFormattedError[] }): unknown[] {
  return (result.errors ?? []).map((error) => error.extensions?.code);
}

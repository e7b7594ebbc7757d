import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DataSource, type QueryRunner, type Logger as TypeOrmLogger } from 'typeorm';
import type { DatabaseConfig } from '../config';
import { ENTITIES } from '../../entities';
import type { DatabaseHooks, QueryTarget } from './database';
import { MIGRATIONS } from './migrations';
import { SnakeNamingStrategy } from './naming-strategy';

export type { QueryTarget } from './database';

/** TypeORM reports the statements it runs itself (transactions, migrations) to `onQuery`. */
export type DataSourceHooks = DatabaseHooks;

/** `application_name` of each pool, so pg_stat_activity tells primary and replica connections apart. */
export const APPLICATION_NAME = { primary: 'talkgraph', replica: 'talkgraph-replica' } as const;

export function createDataSource(config: DatabaseConfig, hooks: DataSourceHooks = {}): DataSource {
  const common = {
    entities: ENTITIES,
    migrations: MIGRATIONS,
    namingStrategy: new SnakeNamingStrategy(),
    // The schema belongs to the migrations, on every database.
    synchronize: false,
    migrationsRun: false,
    logger: hooks.onQuery ? new QueryHookLogger(hooks.onQuery) : undefined,
  } as const;
  if (config.kind === 'postgres') {
    if (config.replicaUrls.length === 0) {
      return new DataSource({
        ...common,
        type: 'postgres',
        url: config.url,
        poolSize: config.poolSize,
        applicationName: APPLICATION_NAME.primary,
      });
    }
    // One pool of `poolSize` per server. Database.query picks the replica for plain reads;
    // everything TypeORM runs on its own (migrations, metadata) stays on the primary.
    return new DataSource({
      ...common,
      type: 'postgres',
      poolSize: config.poolSize,
      replication: {
        master: { url: config.url, applicationName: APPLICATION_NAME.primary },
        slaves: config.replicaUrls.map((url) => ({
          url,
          applicationName: APPLICATION_NAME.replica,
        })),
        defaultMode: 'master',
      },
    });
  }
  if (config.path !== ':memory:') mkdirSync(dirname(config.path), { recursive: true });
  return new DataSource({
    ...common,
    type: 'better-sqlite3',
    database: config.path,
    enableWAL: config.path !== ':memory:',
    prepareDatabase: (db: { pragma(sql: string): unknown }) => {
      // Wait for a concurrent writer (another process, a backup) instead of failing at once.
      db.pragma('busy_timeout = 5000');
      db.pragma('synchronous = NORMAL');
    },
  });
}

class QueryHookLogger implements TypeOrmLogger {
  constructor(private readonly onQuery: (sql: string, target: QueryTarget) => void) {}
  logQuery(query: string, _parameters?: unknown[], queryRunner?: QueryRunner): void {
    this.onQuery(query, queryRunner?.getReplicationMode() === 'slave' ? 'replica' : 'primary');
  }
  logQueryError(): void {}
  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}
}

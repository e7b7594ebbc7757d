import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DataSource, type Logger as TypeOrmLogger } from 'typeorm';
import type { DatabaseConfig } from '../config';
import { ENTITIES } from '../../entities';
import { MIGRATIONS } from './migrations';
import { SnakeNamingStrategy } from './naming-strategy';

export interface DataSourceHooks {
  /** Called with every SQL statement sent, in order; tests count them. */
  onQuery?: (sql: string) => void;
}

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
    return new DataSource({
      ...common,
      type: 'postgres',
      url: config.url,
      poolSize: config.poolSize,
      applicationName: 'talkgraph',
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
  constructor(private readonly onQuery: (sql: string) => void) {}
  logQuery(query: string): void {
    this.onQuery(query);
  }
  logQueryError(): void {}
  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}
}

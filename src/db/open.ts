import type { DatabaseConfig } from '../config';
import { createDataSource, type DataSourceHooks } from './data-source';
import { Database } from './database';

/** Connects and applies pending migrations: a database we hand out is always current. */
export async function openDatabase(
  config: DatabaseConfig,
  hooks: DataSourceHooks = {},
): Promise<Database> {
  const dataSource = createDataSource(config, hooks);
  await dataSource.initialize();
  try {
    await dataSource.runMigrations({ transaction: 'each' });
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
  return new Database(dataSource, hooks);
}

import { type DatabaseConfig, redact, StartupError } from '../config';
import { createDataSource, type DataSourceHooks } from './data-source';
import { Database } from './database';

/** Connects and applies pending migrations: a database we hand out is always current. */
export async function openDatabase(
  config: DatabaseConfig,
  hooks: DataSourceHooks = {},
): Promise<Database> {
  const dataSource = createDataSource(config, hooks);
  try {
    await dataSource.initialize();
  } catch (error) {
    throw new StartupError(
      `DATABASE_URL: cannot open ${describeDatabase(config)}: ${errorText(error)}`,
      { cause: error },
    );
  }
  try {
    await dataSource.runMigrations({ transaction: 'each' });
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
  return new Database(dataSource, hooks);
}

/** Where the database is, without its credentials. */
function describeDatabase(config: DatabaseConfig): string {
  return config.kind === 'sqlite' ? config.path : redact(config.url);
}

/** One line: pg's AggregateError (IPv4 and IPv6 both refused) has an empty message. */
function errorText(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) {
    return errorText(error.errors[0]);
  }
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    const text = error.message || String(code ?? error.name);
    return text.split('\n')[0]!;
  }
  return String(error);
}

import { ConfigError, loadConfig } from '../../src/config';

const PRIMARY = 'postgres://app:secret@db-primary:5432/talkgraph';

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('DATABASE_REPLICA_URLS', () => {
  it('is empty by default', () => {
    const config = loadConfig({ DATABASE_URL: PRIMARY });
    expect(config.database).toEqual({
      kind: 'postgres',
      url: PRIMARY,
      poolSize: 10,
      replicaUrls: [],
    });
  });

  it('takes comma-separated postgres URLs, ignoring blanks and spaces', () => {
    const config = loadConfig({
      DATABASE_URL: PRIMARY,
      DATABASE_REPLICA_URLS:
        ' postgres://app:secret@db-r1:5432/talkgraph, ,postgresql://app:secret@db-r2/talkgraph,',
    });
    expect(config.database.kind === 'postgres' && config.database.replicaUrls).toEqual([
      'postgres://app:secret@db-r1:5432/talkgraph',
      'postgresql://app:secret@db-r2/talkgraph',
    ]);
  });

  it('refuses a URL that is not postgres, naming the variable without the password', () => {
    const found = problems({
      DATABASE_URL: PRIMARY,
      DATABASE_REPLICA_URLS: 'postgres://app:secret@db-r1/talkgraph,mysql://app:secret@db-r2/x',
    });
    expect(found).toEqual([
      'DATABASE_REPLICA_URLS: expected postgres://…[,postgres://…], got "mysql://***@db-r2/x"',
    ]);
    expect(found.join('\n')).not.toContain('secret');
  });

  it('needs a postgres DATABASE_URL', () => {
    expect(
      problems({
        DATABASE_URL: 'sqlite:data/x.sqlite',
        DATABASE_REPLICA_URLS: 'postgres://db-r1/talkgraph',
      }),
    ).toEqual(['DATABASE_REPLICA_URLS: needs a postgres:// DATABASE_URL']);
    expect(problems({ DATABASE_REPLICA_URLS: 'postgres://db-r1/talkgraph' })).toHaveLength(1);
  });
});

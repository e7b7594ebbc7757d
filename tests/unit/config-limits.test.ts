import { ConfigError, loadConfig } from '../../src/config';

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

const PRODUCTION = { NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32) };

describe('limit configuration', () => {
  it('has the documented defaults', () => {
    expect(loadConfig({})).toMatchObject({
      maxDepth: 12,
      maxComplexity: 10_000,
      rateLimitPerMinute: 600,
      introspection: true,
      requestTimeoutMs: 10_000,
      trustProxy: 0,
    });
  });

  it('takes an IP address or a host name as HOST, and names HOST for anything else', () => {
    for (const host of ['127.0.0.1', '0.0.0.0', '::', '::1', 'localhost', 'api.example.org']) {
      expect(problems({ HOST: host })).toEqual([]);
    }
    for (const host of ['999.1.1.1', '1.2.3', 'two words', 'bad_host!', '-x.org', 'a..b']) {
      expect(problems({ HOST: host })).toEqual([expect.stringMatching(/^HOST: /)]);
    }
  });

  it('turns introspection off by default in production, and lets INTROSPECTION decide', () => {
    expect(loadConfig(PRODUCTION).introspection).toBe(false);
    expect(loadConfig({ ...PRODUCTION, INTROSPECTION: 'true' }).introspection).toBe(true);
    expect(loadConfig({ INTROSPECTION: 'false' }).introspection).toBe(false);
  });

  it('refuses bad values with one line naming each variable', () => {
    expect(
      problems({
        INTROSPECTION: 'yes',
        REQUEST_TIMEOUT_MS: '5',
        TRUST_PROXY: '-1',
        RATE_LIMIT_PER_MINUTE: 'lots',
        MAX_DEPTH: '0',
      }).sort(),
    ).toEqual(
      [
        'INTROSPECTION: expected true or false, got "yes"',
        'MAX_DEPTH: expected an integer from 1 to 100, got "0"',
        'RATE_LIMIT_PER_MINUTE: expected an integer from 0 to 1000000, got "lots"',
        'REQUEST_TIMEOUT_MS: expected an integer from 100 to 600000, got "5"',
        'TRUST_PROXY: expected an integer from 0 to 10, got "-1"',
      ].sort(),
    );
  });
});

/**
 * The one place that reads `process.env`. Every variable of API.md's configuration table is
 * parsed and validated here, so a bad value stops start-up with one line naming it.
 */
import { isIP } from 'node:net';

export type DatabaseConfig =
  | { kind: 'sqlite'; path: string }
  | {
      kind: 'postgres';
      url: string;
      poolSize: number;
      /** Read replicas (DATABASE_REPLICA_URLS); empty: everything on `url`. */
      replicaUrls: string[];
    };

export interface Config {
  nodeEnv: 'development' | 'production' | 'test';
  port: number;
  host: string;
  database: DatabaseConfig;
  redisUrl: string | undefined;
  /** host:port of Redis Cluster seed nodes; when set, the cluster is used instead of REDIS_URL. */
  redisClusterNodes: string[];
  /** Prepended to every Redis key and channel, so several deployments (or test suites) can share one Redis. */
  redisKeyPrefix: string;
  jwtSecret: string;
  /** True when no JWT_SECRET was given and the development secret is in use. */
  jwtSecretIsDefault: boolean;
  counterFlushMs: number;
  viewDedupSeconds: number;
  maxDepth: number;
  maxComplexity: number;
  rateLimitPerMinute: number;
  /** Schema introspection (`__schema`, `__type`); on by default outside production. */
  introspection: boolean;
  /** Time allowed to receive a request, and separately to answer it. */
  requestTimeoutMs: number;
  /** Proxies in front of the gateway whose X-Forwarded-For entries are trusted (0: none). */
  trustProxy: number;
  logLevel: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'ConfigError';
  }
}

/**
 * Start-up failed for a reason outside the configuration's syntax (the database refused
 * the connection, the port is taken): one line, naming the variable to look at.
 */
export class StartupError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StartupError';
  }
}

const HOST_NAME =
  /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*\.?$/i;

/** An IP literal, or a host name that is not a malformed IPv4 address (999.1.1.1). */
function isListenHost(host: string): boolean {
  if (isIP(host) !== 0) return true;
  return HOST_NAME.test(host) && !/^[\d.]+$/.test(host);
}

export const DEV_JWT_SECRET = 'talkgraph-development-secret-do-not-use-in-production';
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

type Env = Record<string, string | undefined>;

export function loadConfig(env: Env = process.env): Config {
  const problems: string[] = [];

  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!/^-?\d+$/.test(raw.trim()) || value < min || value > max) {
      problems.push(`${name}: expected an integer from ${min} to ${max}, got "${raw}"`);
      return fallback;
    }
    return value;
  };

  const bool = (name: string, fallback: boolean): boolean => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    if (raw === 'true' || raw === 'false') return raw === 'true';
    problems.push(`${name}: expected true or false, got "${raw}"`);
    return fallback;
  };

  const nodeEnvRaw = env.NODE_ENV ?? 'development';
  const nodeEnv = (['development', 'production', 'test'] as const).find((e) => e === nodeEnvRaw);
  if (!nodeEnv)
    problems.push(`NODE_ENV: expected development, production or test, got "${nodeEnvRaw}"`);

  const host = env.HOST || '127.0.0.1';
  if (!isListenHost(host)) {
    problems.push(`HOST: expected an IP address or a host name, got "${host}"`);
  }
  const port = int('PORT', 4000, 0, 65535);
  const database = parseDatabaseUrl(env.DATABASE_URL, int('PG_POOL_MAX', 10, 1, 200), problems);
  const replicaUrls = parseReplicaUrls(env.DATABASE_REPLICA_URLS, problems);
  if (replicaUrls.length > 0) {
    if (database.kind === 'postgres') database.replicaUrls = replicaUrls;
    else problems.push('DATABASE_REPLICA_URLS: needs a postgres:// DATABASE_URL');
  }

  const redisUrl = env.REDIS_URL || undefined;
  if (redisUrl !== undefined && !/^rediss?:\/\/./.test(redisUrl)) {
    problems.push(`REDIS_URL: expected redis://host:port or rediss://…, got "${redisUrl}"`);
  }

  const redisClusterNodes = (env.REDIS_CLUSTER_NODES ?? '')
    .split(',')
    .map((node) => node.trim())
    .filter(Boolean);
  for (const node of redisClusterNodes) {
    if (!/^[\w.-]+:\d{1,5}$/.test(node)) {
      problems.push(`REDIS_CLUSTER_NODES: expected host:port[,host:port…], got "${node}"`);
    }
  }
  const redisKeyPrefix = env.REDIS_KEY_PREFIX ?? 'tg:';
  if (!/^[\w:.-]{0,64}$/.test(redisKeyPrefix)) {
    problems.push('REDIS_KEY_PREFIX: letters, digits and _ : . - only, at most 64 characters');
  }

  const jwtSecretRaw = env.JWT_SECRET || undefined;
  if (jwtSecretRaw === undefined && nodeEnv === 'production') {
    problems.push('JWT_SECRET: required when NODE_ENV=production');
  } else if (jwtSecretRaw !== undefined && jwtSecretRaw.length < 32) {
    // HS256 keys shorter than the hash output make brute force practical.
    problems.push('JWT_SECRET: must be at least 32 characters long');
  }

  const logLevel = env.LOG_LEVEL || 'info';
  if (!LOG_LEVELS.includes(logLevel)) {
    problems.push(`LOG_LEVEL: expected one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`);
  }

  const config: Config = {
    nodeEnv: nodeEnv ?? 'development',
    port,
    host,
    database,
    redisUrl,
    redisClusterNodes,
    redisKeyPrefix,
    jwtSecret: jwtSecretRaw ?? DEV_JWT_SECRET,
    jwtSecretIsDefault: jwtSecretRaw === undefined,
    counterFlushMs: int('COUNTER_FLUSH_MS', 1000, 10, 3_600_000),
    viewDedupSeconds: int('VIEW_DEDUP_SECONDS', 1800, 0, 31_536_000),
    maxDepth: int('MAX_DEPTH', 12, 1, 100),
    maxComplexity: int('MAX_COMPLEXITY', 10000, 1, 10_000_000),
    rateLimitPerMinute: int('RATE_LIMIT_PER_MINUTE', 600, 0, 1_000_000),
    introspection: bool('INTROSPECTION', nodeEnv !== 'production'),
    requestTimeoutMs: int('REQUEST_TIMEOUT_MS', 10_000, 100, 600_000),
    trustProxy: int('TRUST_PROXY', 0, 0, 10),
    logLevel,
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

function parseDatabaseUrl(
  raw: string | undefined,
  poolSize: number,
  problems: string[],
): DatabaseConfig {
  const url = raw || 'sqlite:data/talkgraph.sqlite';
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length).replace(/^\/\//, '');
    if (path === '')
      problems.push('DATABASE_URL: sqlite: needs a file path, e.g. sqlite:data/talkgraph.sqlite');
    return { kind: 'sqlite', path };
  }
  if (/^postgres(ql)?:\/\/./.test(url)) {
    try {
      new URL(url);
      return { kind: 'postgres', url, poolSize, replicaUrls: [] };
    } catch {
      problems.push('DATABASE_URL: not a valid postgres:// URL');
    }
  } else {
    problems.push(`DATABASE_URL: expected sqlite:<path> or postgres://…, got "${redact(url)}"`);
  }
  return { kind: 'sqlite', path: 'data/talkgraph.sqlite' };
}

/** Comma-separated postgres:// URLs; each is checked, and named without its credentials. */
function parseReplicaUrls(raw: string | undefined, problems: string[]): string[] {
  const urls = (raw ?? '')
    .split(',')
    .map((url) => url.trim())
    .filter(Boolean);
  for (const url of urls) {
    let valid = /^postgres(ql)?:\/\/./.test(url);
    try {
      new URL(url);
    } catch {
      valid = false;
    }
    if (!valid) {
      problems.push(
        `DATABASE_REPLICA_URLS: expected postgres://…[,postgres://…], got "${redact(url)}"`,
      );
    }
  }
  return urls;
}

/** Never echo credentials from a connection string into logs. */
export function redact(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//***@');
}

import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from 'redis';

export const SHARED_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Checked once at load, so suites can pick describe or describe.skip synchronously. */
export const redisReachable =
  spawnSync('redis-cli', ['-u', SHARED_REDIS_URL, 'ping'], {
    encoding: 'utf8',
    timeout: 3000,
  }).stdout?.trim() === 'PONG';

if (!redisReachable && !process.env.CI) {
  console.warn(
    `\n${'!'.repeat(78)}\n!! Redis is unreachable at ${SHARED_REDIS_URL}: SKIPPING the Redis suites.\n${'!'.repeat(78)}\n`,
  );
}

/** Runs Redis suites when Redis answers; in CI an absent Redis fails them instead of skipping. */
export const describeRedis: jest.Describe =
  redisReachable || process.env.CI ? describe : describe.skip;

export function requireRedis(): void {
  if (!redisReachable)
    throw new Error(`Redis is unreachable at ${SHARED_REDIS_URL}; CI must run the Redis suites`);
}

/** A key prefix no other suite uses. */
export function uniquePrefix(): string {
  return `tg-test-${process.pid}-${randomBytes(4).toString('hex')}:`;
}

/** Deletes every key under `prefix` on the shared Redis. */
export async function deleteKeys(prefix: string, url = SHARED_REDIS_URL): Promise<void> {
  const client = createClient({ url });
  await client.connect();
  try {
    for await (const keys of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 1000 })) {
      if (keys.length > 0) await client.del(keys);
    }
  } finally {
    client.destroy();
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/**
 * A private redis-server on a free loopback port that a test may stop and restart
 * (empty: nothing on disk), without disturbing the shared one.
 */
export class PrivateRedis {
  private child: ChildProcess | null = null;

  private constructor(
    readonly port: number,
    private readonly dir: string,
  ) {}

  static async start(): Promise<PrivateRedis> {
    const redis = new PrivateRedis(
      await freePort(),
      mkdtempSync(join(tmpdir(), 'talkgraph-redis-')),
    );
    await redis.restart();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async restart(): Promise<void> {
    this.child = spawn(
      'redis-server',
      // No automatic snapshots; only stopSaving() writes one, so restart() is empty otherwise.
      [
        '--port',
        String(this.port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--dir',
        this.dir,
      ],
      { stdio: 'ignore' },
    );
    for (let attempt = 0; attempt < 100; attempt++) {
      const ping = spawnSync('redis-cli', ['-p', String(this.port), 'ping'], { encoding: 'utf8' });
      if (ping.stdout?.trim() === 'PONG') return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`redis-server did not start on port ${this.port}`);
  }

  /** SIGKILL: the process and everything it held are gone at once (a restart comes back empty). */
  async kill(): Promise<void> {
    rmSync(join(this.dir, 'dump.rdb'), { force: true });
    await this.stop(() => this.child?.kill('SIGKILL'));
  }

  /** A clean stop that keeps the data: the next restart() comes back with it. */
  async stopSaving(): Promise<void> {
    await this.stop(() => spawnSync('redis-cli', ['-p', String(this.port), 'shutdown', 'save']));
  }

  async destroy(): Promise<void> {
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async stop(how: () => void): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    how();
    await exited;
    this.child = null;
  }
}

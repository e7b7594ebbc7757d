import {
  createConnection,
  createServer as createTcpServer,
  type Server,
  type Socket,
} from 'node:net';
import { type DocumentNode, print } from 'graphql';
import {
  CreateTopicDocument,
  EventDetailDocument,
  LikeDocument,
  RecordViewDocument,
} from '../__generated__/graphql';
import { signToken } from '../../src/auth';
import { loadConfig } from '../../src/config';
import { APPLICATION_NAME, type QueryTarget } from '../../src/db/data-source';
import { seedRealEvent } from '../../src/db/seed/seed-real-event';
import { toGlobalId } from '../../src/lib/global-id';
import { createLogger } from '../../src/logger';
import { createServer, type TalkgraphServer } from '../../src/server';
import { createScratchDatabase } from '../helpers/postgres';
import { describeDb, TEST_JWT_SECRET, usingPostgres } from '../helpers/test-server';

/** Replicas are a PostgreSQL feature: the SQLite project skips this file. */
const describePostgres = usingPostgres ? describeDb : describe.skip;

interface Sent {
  sql: string;
  target: QueryTarget;
}

/**
 * A TCP forwarder standing in for a replica server: it reaches the same database, and the
 * test can cut it (connections refused, open ones dropped) and bring it back.
 */
class ReplicaProxy {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  /** Chosen on the first start and kept, so the gateway's replica URL stays valid. */
  private port = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  async start(): Promise<number> {
    const server = createTcpServer((client) => {
      const upstream = createConnection(this.target);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.server = server;
    this.port = (server.address() as { port: number }).port;
    return this.port;
  }

  async cut(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  }
}

describePostgres('PostgreSQL read replicas', () => {
  let server: TalkgraphServer;
  let url: string;
  let databaseName: string;
  let drop: () => Promise<void>;
  let proxy: ReplicaProxy;
  const sent: Sent[] = [];
  let fallbacks = 0;

  beforeAll(async () => {
    const scratch = await createScratchDatabase();
    drop = scratch.drop;
    const primary = new URL(scratch.url);
    databaseName = primary.pathname.slice(1);
    proxy = new ReplicaProxy({ host: primary.hostname, port: Number(primary.port || 5432) });
    const replica = new URL(scratch.url);
    replica.port = String(await proxy.start());
    const config = loadConfig({
      NODE_ENV: 'test',
      DATABASE_URL: scratch.url,
      DATABASE_REPLICA_URLS: replica.toString(),
      JWT_SECRET: TEST_JWT_SECRET,
    });
    server = await createServer(config, {
      logger: createLogger('silent'),
      onQuery: (sql, target) => sent.push({ sql, target }),
      onReplicaFallback: () => fallbacks++,
    });
    await seedRealEvent(server.db);
    await new Promise<void>((resolve) => server.app.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.app.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    await server?.stop();
    await proxy?.cut();
    await drop?.();
  });

  const post = async (
    document: DocumentNode,
    variables: Record<string, unknown>,
    token?: string,
  ) => {
    const response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify({ query: print(document), variables }),
    });
    const body = (await response.json()) as { data?: Record<string, unknown>; errors?: unknown[] };
    expect(body.errors).toBeUndefined();
    return body.data!;
  };

  /** The statements `work` sent, by where they went. */
  const routed = async (work: () => Promise<unknown>) => {
    sent.length = 0;
    await work();
    return {
      primary: sent.filter((s) => s.target === 'primary').map((s) => s.sql),
      replica: sent.filter((s) => s.target === 'replica').map((s) => s.sql),
    };
  };

  it('a query over HTTP reads from the replica only', async () => {
    const { primary, replica } = await routed(() =>
      post(EventDetailDocument, { slug: 'jue-li-ji-hua-21' }),
    );
    expect(primary).toEqual([]);
    expect(replica.length).toBeGreaterThanOrEqual(3);
    for (const sql of replica) expect(sql).toMatch(/^\s*SELECT\b/i);
  });

  it('a mutation reads and writes on the primary, so its answer shows its own write', async () => {
    const token = await signToken({ id: 'replica-fan', role: 'viewer' }, TEST_JWT_SECRET);
    const talk = toGlobalId('Talk', 1);
    let liked: Record<string, unknown> = {};
    const { primary, replica } = await routed(async () => {
      liked = await post(LikeDocument, { id: talk }, token);
      await post(RecordViewDocument, { id: talk });
    });
    expect(replica).toEqual([]);
    expect(primary.some((sql) => /INSERT INTO likes/.test(sql))).toBe(true);
    expect(primary.some((sql) => /FROM likes/.test(sql) && /SELECT/.test(sql))).toBe(true);
    expect(liked).toMatchObject({ like: { viewerHasLiked: true } });
  });

  it('an admin write and its re-read stay on the primary', async () => {
    const token = await signToken({ id: 'admin', role: 'admin' }, TEST_JWT_SECRET);
    let created: Record<string, unknown> = {};
    const { primary, replica } = await routed(async () => {
      created = await post(CreateTopicDocument, { input: { name: 'Replication' } }, token);
    });
    expect(replica).toEqual([]);
    expect(primary.some((sql) => /INSERT INTO topics/.test(sql))).toBe(true);
    expect(created).toMatchObject({ createTopic: { name: 'Replication' } });
  });

  it('reads outside an HTTP request (flusher, start-up, executeOperation) stay on the primary', async () => {
    const { primary, replica } = await routed(async () => {
      await server.db.query('SELECT COUNT(*) AS n FROM events');
      const response = await server.apollo.executeOperation(
        { query: EventDetailDocument, variables: { slug: 'jue-li-ji-hua-21' } },
        { contextValue: await server.contextFor() },
      );
      expect(response.body.kind).toBe('single');
    });
    expect(replica).toEqual([]);
    expect(primary.length).toBeGreaterThanOrEqual(2);
  });

  it('replica connections are named apart in pg_stat_activity', async () => {
    const rows = await server.db.query(
      `SELECT application_name, COUNT(*) AS n FROM pg_stat_activity
       WHERE datname = :databaseName GROUP BY application_name`,
      { databaseName },
    );
    const names = rows.map((row) => row.application_name);
    expect(names).toEqual(
      expect.arrayContaining([APPLICATION_NAME.primary, APPLICATION_NAME.replica]),
    );
  });

  it('/readyz names the replicas', async () => {
    const response = await fetch(`${url}/readyz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok', database: 'ok', replicas: 'ok' });
  });

  it('with the replica down, reads go to the primary and /readyz is degraded; back, it is used again', async () => {
    await proxy.cut();
    // Let the pool notice its dropped connections.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const down = await routed(() => post(EventDetailDocument, { slug: 'jue-li-ji-hua-21' }));
    expect(down.replica).toEqual([]);
    expect(down.primary.length).toBeGreaterThanOrEqual(3);
    expect(fallbacks).toBeGreaterThanOrEqual(3);
    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({
      status: 'degraded',
      database: 'ok',
      replicas: 'unreachable',
    });
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toMatch(/^talkgraph_replica_fallbacks_total [1-9]\d*$/m);

    await proxy.start();
    const back = await routed(() => post(EventDetailDocument, { slug: 'jue-li-ji-hua-21' }));
    expect(back.primary).toEqual([]);
    expect(back.replica.length).toBeGreaterThanOrEqual(3);
  });
});

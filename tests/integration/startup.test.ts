import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildGateway, freePort } from '../helpers/gateway-process';
import { usingPostgres } from '../helpers/test-server';

interface Exit {
  code: number | null;
  stderr: string[];
}

/** Runs main.js with `env` until it exits (start-up failures exit at once). */
function runGateway(mainJs: string, env: Record<string, string>): Promise<Exit> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [mainJs], {
      env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'error', ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr: stderr.split('\n').filter((line) => line.trim() !== '') });
    });
  });
}

// API.md: "An invalid value stops start-up with one clear line naming the variable." The
// processes use SQLite files of their own, so one project runs this suite.
(usingPostgres ? describe.skip : describe)('start-up failures', () => {
  let build: ReturnType<typeof buildGateway>;
  let dir: string;

  beforeAll(() => {
    build = buildGateway();
    dir = mkdtempSync(join(tmpdir(), 'talkgraph-startup-'));
  }, 120_000);
  afterAll(() => {
    build?.clean();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const sqlite = (name: string) => `sqlite:${join(dir, `${name}.sqlite`)}`;

  it.each(['999.1.1.1', 'two words', 'bad_host!'])(
    'refuses HOST=%s in one line naming HOST',
    async (host) => {
      const exit = await runGateway(build.mainJs, {
        HOST: host,
        PORT: String(await freePort()),
        DATABASE_URL: sqlite('host'),
      });
      expect(exit.code).toBe(1);
      expect(exit.stderr).toEqual([expect.stringMatching(/^talkgraph: .*HOST: .*"/)]);
    },
    40_000,
  );

  it('refuses a taken PORT in one line naming PORT', async () => {
    const port = await freePort();
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
    try {
      const exit = await runGateway(build.mainJs, {
        HOST: '127.0.0.1',
        PORT: String(port),
        DATABASE_URL: sqlite('port'),
      });
      expect(exit.code).toBe(1);
      expect(exit.stderr).toEqual([
        expect.stringMatching(
          new RegExp(`^talkgraph failed to start: PORT: .*${port}.*EADDRINUSE`),
        ),
      ]);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  }, 40_000);

  it('names DATABASE_URL, without its password, when the database refuses the connection', async () => {
    const exit = await runGateway(build.mainJs, {
      PORT: String(await freePort()),
      DATABASE_URL: 'postgres://postgres:s3cret-pw@127.0.0.1:1/talkgraph',
    });
    expect(exit.code).toBe(1);
    expect(exit.stderr).toEqual([
      expect.stringMatching(
        /^talkgraph failed to start: DATABASE_URL: .*127\.0\.0\.1:1.*ECONNREFUSED/,
      ),
    ]);
    expect(exit.stderr.join('\n')).not.toContain('s3cret-pw');
  }, 40_000);
});

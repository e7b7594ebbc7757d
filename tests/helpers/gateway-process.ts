import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

/**
 * Compiles the gateway once per suite into .test-build/<pid> (inside the project, so the
 * compiled files still find node_modules) for tests that run it as real processes.
 */
export function buildGateway(): { mainJs: string; clean: () => void } {
  const outDir = join(ROOT, '.test-build', String(process.pid));
  execFileSync(
    join(ROOT, 'node_modules', '.bin', 'tsc'),
    ['-p', 'tsconfig.build.json', '--outDir', outDir],
    {
      cwd: ROOT,
      stdio: 'inherit',
    },
  );
  return {
    mainJs: join(outDir, 'src', 'main.js'),
    clean: () => rmSync(outDir, { recursive: true, force: true }),
  };
}

export async function freePort(): Promise<number> {
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
 * The Node flags `npm start` runs the gateway with (package.json config.nodeFlags). The
 * project's package.json is looked for upwards: compiled copies of this file (the soak's
 * .test-build/soak/…) sit deeper than the source.
 */
function nodeFlags(): string[] {
  for (let dir = ROOT; ; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { config?: { nodeFlags?: string } };
      return (pkg.config?.nodeFlags ?? '').split(/\s+/).filter(Boolean);
    }
    if (dirname(dir) === dir) return [];
  }
}

/** `node main.js` as its own process, as production (`npm start`) runs it. */
export class GatewayProcess {
  private child: ChildProcess | null = null;
  readonly url: string;

  constructor(
    private readonly mainJs: string,
    readonly port: number,
    private readonly env: Record<string, string>,
  ) {
    this.url = `http://127.0.0.1:${port}`;
  }

  async start(): Promise<void> {
    this.child = spawn(process.execPath, [...nodeFlags(), this.mainJs], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        ...this.env,
        PORT: String(this.port),
        HOST: '127.0.0.1',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    for (let attempt = 0; attempt < 200; attempt++) {
      try {
        if ((await fetch(`${this.url}/healthz`)).ok) return;
      } catch {
        // Not listening yet.
      }
      if (this.child.exitCode !== null)
        throw new Error(`gateway exited with ${this.child.exitCode}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error('gateway did not start');
  }

  /** Sends `signal` and waits for the exit; resolves to the exit code (null when killed). */
  async stop(signal: NodeJS.Signals): Promise<number | null> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null)
      return child?.exitCode ?? null;
    const exited = new Promise<number | null>((resolve) =>
      child.once('exit', (code) => resolve(code)),
    );
    child.kill(signal);
    this.child = null;
    return exited;
  }
}

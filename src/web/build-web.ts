import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build, type Metafile, type Plugin } from 'esbuild';
import type { ExampleCatalog } from './client/example';
import { loadExamples } from './examples';
import { PACKAGE_ROOT, WEB_OUT_DIR } from './paths';

const CLIENT_DIR = join(PACKAGE_ROOT, 'src', 'web', 'client');

/** Browsers the bundles are written for: the last two years of evergreen ones. */
const TARGET = ['chrome111', 'edge111', 'firefox114', 'safari16.4'];

export interface Weight {
  /** Bytes as stored. */
  raw: number;
  /** Bytes over the wire with gzip. */
  gzip: number;
}

export interface PageWeight {
  /** What loading the page fetches before it is usable: HTML, entry script, its static imports, CSS. */
  initial: Weight;
  /** Fetched later, on demand: dynamic imports and web workers (the editor's, for GraphiQL). */
  lazy: Weight;
}

export interface WebBuild {
  pages: Record<'graphiql' | 'dashboard', PageWeight>;
}

/**
 * Builds the explorer (GraphiQL) and the dashboard into dist/web: one HTML file per page,
 * hashed bundles under assets/ with a gzip copy beside each, and manifest.json giving
 * each page's weight. Everything a page loads comes from the gateway itself.
 *
 * The build goes to a staging folder that then replaces dist/web whole, so a gateway
 * serving it, or a second build running at the same time, never sees half of one.
 */
export async function buildWeb(): Promise<WebBuild> {
  const staging = `${WEB_OUT_DIR}.building-${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  try {
    const report = await buildInto(staging);
    await replaceDir(WEB_OUT_DIR, staging);
    return report;
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

async function replaceDir(target: string, replacement: string): Promise<void> {
  const previous = `${target}.previous-${process.pid}`;
  await rename(target, previous).catch(ignoreCode('ENOENT'));
  // ENOTEMPTY: another build moved its own in between; one complete build is as good.
  await rename(replacement, target).catch(ignoreCode('ENOTEMPTY', 'EEXIST'));
  await rm(previous, { recursive: true, force: true });
}

function ignoreCode(...codes: string[]) {
  return (error: NodeJS.ErrnoException): void => {
    if (!codes.includes(error.code ?? '')) throw error;
  };
}

async function buildInto(outDir: string): Promise<WebBuild> {
  const assetsDir = join(outDir, 'assets');
  await mkdir(assetsDir, { recursive: true });
  const catalog = await loadExamples(join(PACKAGE_ROOT, 'schema', 'operations'));

  // Monaco's editor, JSON and GraphQL language services run in workers: each is its own
  // classic script, so any browser can start it with `new Worker(url)`.
  const workers = await build({
    ...common(assetsDir),
    entryPoints: {
      'editor.worker': 'monaco-editor/esm/vs/editor/editor.worker.js',
      'json.worker': 'monaco-editor/esm/vs/language/json/json.worker.js',
      'graphql.worker': 'monaco-graphql/esm/graphql.worker.js',
    },
    format: 'iife',
  });
  const explorer = await build({
    ...common(assetsDir),
    entryPoints: { graphiql: join(CLIENT_DIR, 'graphiql.tsx') },
    format: 'esm',
    // GraphiQL loads Monaco and Prettier with import(): they become chunks fetched on use.
    splitting: true,
    chunkNames: 'chunk-[hash]',
    jsx: 'automatic',
    plugins: [examplesModule(catalog), monacoCssFromGraphiQL()],
  });
  // The dashboard is built on its own, without splitting: one script and one stylesheet.
  const board = await build({
    ...common(assetsDir),
    entryPoints: { dashboard: join(CLIENT_DIR, 'dashboard.ts') },
    format: 'esm',
  });

  const workerUrls = Object.fromEntries(
    Object.entries(workers.metafile.outputs)
      .filter(([, output]) => output.entryPoint)
      .map(([file]) => [basename(file).replace(/-[A-Z0-9]+\.js$/, ''), assetUrl(file)]),
  );
  const graphiql = entryOutput(explorer.metafile, 'graphiql.tsx');
  const dashboard = entryOutput(board.metafile, 'dashboard.ts');
  const graphiqlHtml = join(outDir, 'graphiql.html');
  const dashboardHtml = join(outDir, 'dashboard.html');
  await writeFile(
    graphiqlHtml,
    page({
      title: 'talkgraph · GraphiQL',
      script: assetUrl(graphiql.file),
      styles: graphiql.css ? [assetUrl(graphiql.css)] : [],
      root: {
        id: 'graphiql',
        'data-editor-worker': workerUrls['editor.worker']!,
        'data-json-worker': workerUrls['json.worker']!,
        'data-graphql-worker': workerUrls['graphql.worker']!,
      },
      fallback: 'GraphiQL needs JavaScript. The API itself answers POST /graphql.',
    }),
  );
  await writeFile(
    dashboardHtml,
    page({
      title: 'talkgraph · dashboard',
      script: assetUrl(dashboard.file),
      styles: dashboard.css ? [assetUrl(dashboard.css)] : [],
      root: { id: 'dashboard' },
      fallback: 'The dashboard needs JavaScript.',
    }),
  );
  await compressAll([
    ...Object.keys(workers.metafile.outputs),
    ...Object.keys(explorer.metafile.outputs),
    ...Object.keys(board.metafile.outputs),
    relative(PACKAGE_ROOT, graphiqlHtml),
    relative(PACKAGE_ROOT, dashboardHtml),
  ]);

  const report: WebBuild = {
    pages: {
      graphiql: await pageWeight(
        graphiqlHtml,
        graphiql,
        explorer.metafile,
        Object.keys(workers.metafile.outputs).filter((file) => file.endsWith('.js')),
      ),
      dashboard: await pageWeight(dashboardHtml, dashboard, board.metafile, []),
    },
  };
  await writeFile(join(outDir, 'manifest.json'), JSON.stringify(report, null, 2) + '\n');
  return report;
}

/** What the bundles are made from: a change to any of these makes dist/web stale. */
const INPUTS = [
  join(PACKAGE_ROOT, 'src', 'web'),
  join(PACKAGE_ROOT, 'schema', 'operations'),
  join(PACKAGE_ROOT, 'package-lock.json'),
];

/** True when dist/web was built after the last change to any of its inputs. */
export async function webBuildIsCurrent(): Promise<boolean> {
  const built = await modifiedAt(join(WEB_OUT_DIR, 'manifest.json'));
  if (built === null) return false;
  for (const input of INPUTS) {
    if ((await newestIn(input)) > built) return false;
  }
  return true;
}

async function modifiedAt(path: string): Promise<number | null> {
  try {
    return (await stat(path)).mtimeMs;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

async function newestIn(path: string): Promise<number> {
  const info = await stat(path);
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = info.mtimeMs;
  for (const entry of await readdir(path)) {
    newest = Math.max(newest, await newestIn(join(path, entry)));
  }
  return newest;
}

function common(outdir: string) {
  return {
    absWorkingDir: PACKAGE_ROOT,
    bundle: true,
    minify: true,
    sourcemap: 'linked',
    // Licences go to a .LEGAL.txt file beside each bundle instead of its first bytes.
    legalComments: 'linked',
    target: TARGET,
    outdir,
    entryNames: '[name]-[hash]',
    assetNames: '[name]-[hash]',
    loader: { '.ttf': 'file', '.woff': 'file', '.woff2': 'file' },
    define: { 'process.env.NODE_ENV': '"production"' },
    metafile: true,
    logLevel: 'warning',
  } as const;
}

/** `import { catalog } from 'talkgraph:examples'`: the operations of schema/operations. */
function examplesModule(catalog: ExampleCatalog): Plugin {
  return {
    name: 'talkgraph-examples',
    setup(builder) {
      builder.onResolve({ filter: /^talkgraph:examples$/ }, (args) => ({
        path: args.path,
        namespace: 'talkgraph',
      }));
      builder.onLoad({ filter: /.*/, namespace: 'talkgraph' }, () => ({
        contents: `export const catalog = ${JSON.stringify(catalog)};`,
        loader: 'js',
      }));
    },
  };
}

/**
 * Monaco's modules import their stylesheets one by one, and those in lazily loaded chunks
 * would become CSS files nothing loads. The explorer imports Monaco's whole stylesheet
 * (editor.main.css) up front instead, so these imports are left empty.
 */
function monacoCssFromGraphiQL(): Plugin {
  return {
    name: 'monaco-css-from-graphiql',
    setup(builder) {
      builder.onResolve({ filter: /\.css$/ }, (args) =>
        /[\\/]node_modules[\\/]monaco-editor[\\/]/.test(args.importer)
          ? { path: args.path, namespace: 'monaco-css' }
          : undefined,
      );
      builder.onLoad({ filter: /.*/, namespace: 'monaco-css' }, () => ({
        contents: '',
        loader: 'css',
      }));
    },
  };
}

interface EntryOutput {
  file: string;
  css: string | undefined;
}

function entryOutput(metafile: Metafile, source: string): EntryOutput {
  for (const [file, output] of Object.entries(metafile.outputs)) {
    if (output.entryPoint?.endsWith(source)) return { file, css: output.cssBundle };
  }
  throw new Error(`no output for ${source}`);
}

function assetUrl(file: string): string {
  return `/assets/${basename(file)}`;
}

interface PageSpec {
  title: string;
  script: string;
  styles: string[];
  root: Record<string, string>;
  fallback: string;
}

function page({ title, script, styles, root, fallback }: PageSpec): string {
  const attributes = Object.entries(root)
    .map(([name, value]) => ` ${name}="${escapeHtml(value)}"`)
    .join('');
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    // Without an icon of its own, the browser asks the gateway for /favicon.ico.
    '<link rel="icon" href="data:,">',
    ...styles.map((href) => `<link rel="stylesheet" href="${escapeHtml(href)}">`),
    `<script type="module" src="${escapeHtml(script)}"></script>`,
    '</head>',
    '<body>',
    `<div${attributes}><noscript>${escapeHtml(fallback)}</noscript></div>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char]!,
  );
}

/** What browsers fetch: source maps and licence files are left as they are. */
const COMPRESSIBLE = /\.(js|css|html|ttf)$/;

/** A .gz copy beside each text file, which the gateway sends to clients that accept gzip. */
async function compressAll(files: string[]): Promise<void> {
  for (const file of new Set(files)) {
    if (!COMPRESSIBLE.test(file)) continue;
    const path = join(PACKAGE_ROOT, file);
    await writeFile(`${path}.gz`, gzipSync(await readFile(path), { level: 9 }));
  }
}

async function weigh(files: Iterable<string>): Promise<Weight> {
  const total: Weight = { raw: 0, gzip: 0 };
  for (const file of files) {
    const path = join(PACKAGE_ROOT, file);
    const bytes = await readFile(path);
    total.raw += bytes.length;
    total.gzip += COMPRESSIBLE.test(file) ? (await readFile(`${path}.gz`)).length : bytes.length;
  }
  return total;
}

/** Splits what a page loads into its first load (static imports) and the rest (on demand). */
async function pageWeight(
  html: string,
  entry: EntryOutput,
  metafile: Metafile,
  workers: string[],
): Promise<PageWeight> {
  const initial = new Set<string>([relative(PACKAGE_ROOT, html)]);
  const lazy = new Set<string>(workers);
  const walk = (file: string, eager: boolean): void => {
    const target = eager ? initial : lazy;
    if (initial.has(file) || target.has(file)) return;
    target.add(file);
    const output = metafile.outputs[file]!;
    if (output.cssBundle) walk(output.cssBundle, eager);
    for (const imported of output.imports) {
      if (imported.external || !metafile.outputs[imported.path]) continue;
      // Static imports and what stylesheets point at (the editor's icon font) load with the
      // page; import() waits until the code needs it.
      walk(imported.path, eager && imported.kind !== 'dynamic-import');
    }
  };
  walk(entry.file, true);
  for (const file of initial) lazy.delete(file);
  return { initial: await weigh(initial), lazy: await weigh(lazy) };
}

function kb(bytes: number): string {
  return `${(bytes / 1024).toFixed(0)} KB`;
}

if (require.main === module) {
  const started = Date.now();
  // `--if-stale` (npm start): keep a build that is newer than all of its sources.
  const ifStale = process.argv.includes('--if-stale');
  (async () => (ifStale && (await webBuildIsCurrent()) ? null : buildWeb()))().then(
    (report) => {
      if (!report) {
        console.log('web: dist/web is current');
        return;
      }
      for (const [name, weight] of Object.entries(report.pages)) {
        console.log(
          `web: ${name.padEnd(9)} first load ${kb(weight.initial.gzip)} gzip (${kb(weight.initial.raw)}),` +
            ` on demand ${kb(weight.lazy.gzip)} gzip (${kb(weight.lazy.raw)})`,
        );
      }
      console.log(`web: built dist/web in ${Date.now() - started} ms`);
    },
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}

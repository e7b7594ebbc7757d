import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The package root, found from this file: it runs from src/web under ts-jest and from
 * dist/src/web once compiled, so a fixed number of `..` would be wrong in one of them.
 */
function findPackageRoot(from: string): string {
  let dir = from;
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${from}`);
    dir = parent;
  }
  return dir;
}

export const PACKAGE_ROOT = findPackageRoot(__dirname);

/** Where `npm run build:web` writes the pages and their assets (git-ignored, like all of dist/). */
export const WEB_OUT_DIR = join(PACKAGE_ROOT, 'dist', 'web');

/** Hashed bundles, fonts and source maps, served under /assets/. */
export const WEB_ASSETS_DIR = join(WEB_OUT_DIR, 'assets');

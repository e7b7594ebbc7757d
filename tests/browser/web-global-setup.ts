import { existsSync } from 'node:fs';
import { buildWeb, webBuildIsCurrent } from '../../src/web/build-web';
import { CHROMIUM } from './chromium';

/**
 * Builds GraphiQL and the dashboard once for this project (unless dist/web is newer than
 * every source). Without Debian's Chromium the browser suites are skipped loudly, except
 * in CI, where they must run (.ci/run installs it); the plain HTTP suites run regardless.
 */
export default async function webGlobalSetup(): Promise<void> {
  if (!(await webBuildIsCurrent())) await buildWeb();
  if (existsSync(CHROMIUM)) return;
  const message = `${CHROMIUM} is missing`;
  if (process.env.CI) {
    throw new Error(`${message}; CI must run the browser suites (apt-get install chromium).`);
  }
  process.env.TALKGRAPH_SKIP_BROWSER = '1';
  console.warn(
    `\n${'!'.repeat(78)}\n!! ${message}: SKIPPING the browser suites` +
      ` (apt-get install -y chromium fonts-noto-cjk).\n${'!'.repeat(78)}\n`,
  );
}

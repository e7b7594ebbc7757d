import { POSTGRES_ADMIN_URL, postgresReachable } from './postgres';

/**
 * PostgreSQL suites run whenever the server answers. Unreachable in CI is a failure;
 * unreachable on a laptop skips them, loudly.
 */
export default async function postgresGlobalSetup(): Promise<void> {
  if (await postgresReachable()) return;
  const message = `PostgreSQL is unreachable at ${POSTGRES_ADMIN_URL}`;
  if (process.env.CI)
    throw new Error(`${message}; CI must run the PostgreSQL suites. Start it (see README).`);
  process.env.TALKGRAPH_SKIP_POSTGRES = '1';
  console.warn(
    `\n${'!'.repeat(78)}\n!! ${message}: SKIPPING every PostgreSQL suite.\n${'!'.repeat(78)}\n`,
  );
}

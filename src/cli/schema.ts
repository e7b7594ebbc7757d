import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createSchema, printSortedSchema } from '../schema';

const SCHEMA_FILE = join(process.cwd(), 'schema', 'schema.graphql');

/**
 * `schema:emit` writes schema/schema.graphql from the code; `schema:check` fails when the
 * committed file differs, so the SDL clients read never drifts from what we serve.
 */
async function main(mode: string | undefined): Promise<void> {
  const sdl = printSortedSchema(await createSchema());
  if (mode === 'emit') {
    writeFileSync(SCHEMA_FILE, sdl);
    return;
  }
  let committed = '';
  try {
    committed = readFileSync(SCHEMA_FILE, 'utf8');
  } catch {
    // Missing file: reported below like any other difference.
  }
  if (committed !== sdl) {
    console.error(
      'schema/schema.graphql is out of date with the code: run `npm run schema:emit` and commit it.',
    );
    process.exitCode = 1;
  }
}

main(process.argv[2]).catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});

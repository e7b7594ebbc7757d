import { signToken } from '../auth';
import { ConfigError, loadConfig } from '../config';
import { CliArgsError, parseTokenArgs, TOKEN_USAGE } from '../lib/cli-args';

/**
 * `token`: prints a JWT for JWT_SECRET. Stdout carries the token alone, so
 * `$(npm run -s token -- --sub alice --role admin)` works; everything else goes to stderr.
 */
async function main(argv: string[]): Promise<void> {
  let args;
  let config;
  try {
    args = parseTokenArgs(argv);
    if (args.help) {
      console.log(TOKEN_USAGE);
      return;
    }
    config = loadConfig();
  } catch (error) {
    if (error instanceof CliArgsError) return fail(error.message);
    if (error instanceof ConfigError) {
      return fail(...error.problems.map((p) => `invalid configuration: ${p}`));
    }
    throw error;
  }
  if (config.jwtSecretIsDefault) {
    console.error(
      'talkgraph token: warning: JWT_SECRET is not set; signed with the development secret, ' +
        'which only a server without JWT_SECRET accepts',
    );
  }
  console.log(await signToken({ id: args.sub, role: args.role }, config.jwtSecret, args.expires));
}

function fail(...lines: string[]): void {
  for (const line of lines) console.error(`talkgraph token: ${line}`);
  process.exitCode = 1;
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error('talkgraph token failed:', error);
  process.exitCode = 1;
});

import { type Config, ConfigError, loadConfig } from '../config';
import { CliArgsError } from '../lib/cli-args';

/**
 * The shared frame of our commands: parse arguments, print usage for --help, load the
 * configuration, run. A bad argument or variable is one line on stderr and exit code 1.
 */
export function runCli<A extends { help?: boolean }>(
  name: string,
  parse: (argv: string[]) => A,
  usage: string,
  run: (args: Exclude<A, { help: true }>, config: Config) => Promise<void>,
): void {
  const fail = (...lines: string[]): void => {
    for (const line of lines) console.error(`talkgraph ${name}: ${line}`);
    process.exitCode = 1;
  };
  let args: A;
  let config: Config;
  try {
    args = parse(process.argv.slice(2));
    if (args.help) {
      console.log(usage);
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
  run(args as Exclude<A, { help: true }>, config).catch((error: unknown) => {
    console.error(`talkgraph ${name} failed:`, error);
    process.exitCode = 1;
  });
}

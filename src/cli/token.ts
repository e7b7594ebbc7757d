import { signToken } from '../auth';
import { parseTokenArgs, TOKEN_USAGE } from '../lib/cli-args';
import { runCli } from './run-cli';

/**
 * `token`: prints a JWT for JWT_SECRET. Stdout carries the token alone, so
 * `$(npm run -s token -- --sub alice --role admin)` works; everything else goes to stderr.
 */
runCli('token', parseTokenArgs, TOKEN_USAGE, async (args, config) => {
  if (config.jwtSecretIsDefault) {
    console.error(
      'talkgraph token: warning: JWT_SECRET is not set; signed with the development secret, ' +
        'which only a server without JWT_SECRET accepts',
    );
  }
  console.log(await signToken({ id: args.sub, role: args.role }, config.jwtSecret, args.expires));
});

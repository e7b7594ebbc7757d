import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'talkgraph' },
    // A safety net: nothing logs headers today, and tokens must never reach a log.
    redact: ['req.headers.authorization', '*.authorization', '*.connectionParams'],
  });
}

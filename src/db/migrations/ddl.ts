import type { QueryRunner } from 'typeorm';

/**
 * Column types that differ between our two databases. Migrations write DDL once with
 * these, so the PostgreSQL and SQLite schemas cannot drift apart.
 */
export interface DdlTypes {
  serial: string;
  timestamp: string;
  now: string;
  /** A calendar day (UTC); SQLite keeps it as 'YYYY-MM-DD' text, which sorts correctly. */
  day: string;
}

export function ddlTypes(q: QueryRunner): DdlTypes {
  return q.connection.options.type === 'postgres'
    ? { serial: 'serial PRIMARY KEY', timestamp: 'timestamptz', now: 'now()', day: 'date' }
    : {
        serial: 'integer PRIMARY KEY AUTOINCREMENT',
        timestamp: 'datetime',
        // The same text form TypeORM writes for Date values, so comparisons stay textual.
        now: "(strftime('%Y-%m-%d %H:%M:%f', 'now'))",
        day: 'text',
      };
}

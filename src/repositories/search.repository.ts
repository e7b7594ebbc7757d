import type { Database, SqlParams } from '../db/database';
import { escapeLike, likeContains, likePrefix, toInt } from '../db/database';
import type { NodeRef, NodeType } from '../lib/global-id';

interface SearchedTable {
  type: NodeType;
  from: string;
  /** The name or title: what "best match" is judged on. */
  heading: string;
  /** Every text column a term may match in. */
  texts: string[];
}

const TABLES: SearchedTable[] = [
  {
    type: 'Event',
    from: 'events e',
    heading: 'e.title',
    texts: ['e.title', 'e.summary', 'e.series', 'e.city'],
  },
  { type: 'Talk', from: 'talks t', heading: 't.title', texts: ['t.title', 't.abstract'] },
  {
    type: 'Speaker',
    from: 'speakers s',
    heading: 's.name',
    texts: ['s.name', 's.headline', 's.affiliation', 's.bio'],
  },
  { type: 'Topic', from: 'topics tp', heading: 'tp.name', texts: ['tp.name', 'tp.description'] },
];

export const MAX_SEARCH_TERMS = 8;

export class SearchRepository {
  constructor(private readonly db: Database) {}

  /**
   * Events, talks, speakers and topics whose texts contain every whitespace-separated
   * term, case-insensitively, in one statement. Best match first: heading equal to the
   * query, then heading starting with it, heading containing it, the rest; ties go to the
   * shorter heading.
   */
  async search(query: string, first: number): Promise<NodeRef[]> {
    const terms = query.split(/\s+/).filter(Boolean).slice(0, MAX_SEARCH_TERMS);
    const params: SqlParams = {
      exact: escapeLike(query),
      prefix: likePrefix(query),
      phrase: likeContains(query),
    };
    terms.forEach((term, i) => (params[`term${i}`] = likeContains(term)));
    const like = (expr: string, param: string) => this.db.likeIgnoringCase(expr, param);
    const branches = TABLES.map((table) => {
      const id = `${table.from.split(' ')[1]}.id`;
      const everyTerm = terms
        .map((_, i) => `(${table.texts.map((c) => like(c, `:term${i}`)).join(' OR ')})`)
        .join(' AND ');
      return `SELECT '${table.type}' AS type, ${id} AS id,
          CASE WHEN ${like(table.heading, ':exact')} THEN 0
               WHEN ${like(table.heading, ':prefix')} THEN 1
               WHEN ${like(table.heading, ':phrase')} THEN 2
               ELSE 3 END AS score,
          LENGTH(${table.heading}) AS heading_length
        FROM ${table.from} WHERE ${everyTerm}`;
    });
    const rows = await this.db.query(
      `SELECT type, id FROM (${branches.join(' UNION ALL ')}) hits
       ORDER BY score, heading_length, type, id LIMIT ${first}`,
      params,
    );
    return rows.map((row) => ({ type: row.type as NodeType, id: toInt(row.id) }));
  }
}

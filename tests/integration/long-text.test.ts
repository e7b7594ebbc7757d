import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { parse } from 'graphql';
import { toInt } from '../../src/db/database';
import { toGlobalId } from '../../src/lib/global-id';
import { createTestServer, describeDb, type TestServer } from '../helpers/test-server';

type AnyData = Record<string, unknown>;
const document = (text: string) => parse(text) as TypedDocumentNode<AnyData, AnyData>;

const LONG_TEXT_COLUMNS = ['e.summary', 't.abstract', 's.bio', 'tp.description'];

/**
 * Long text columns (a talk's abstract may hold 20,000 characters) are read only for
 * operations that show one of them; everything else reads them as NULL.
 */
describeDb('long text columns', () => {
  let t: TestServer;
  let abstract: string;

  beforeAll(async () => {
    t = await createTestServer();
    const [row] = await t.server.db.query(
      'SELECT abstract FROM talks WHERE abstract IS NOT NULL ORDER BY id LIMIT 1',
    );
    abstract = String(row?.abstract);
    expect(abstract.length).toBeGreaterThan(20);
  });
  afterAll(() => t?.stop());

  const readsOf = (sql: readonly string[], column: string) =>
    sql.filter((statement) => statement.includes(column));

  it('leaves them out of every read of an operation that shows none', async () => {
    t.sql.length = 0;
    const result = await t.exec(
      document(`
        query {
          events(first: 5) {
            nodes { title talks { title speakers { name } topics { name } } }
          }
        }
      `),
    );
    expect(result.errors).toBeUndefined();
    expect(t.sql.length).toBeGreaterThan(0);
    for (const column of LONG_TEXT_COLUMNS) expect(readsOf(t.sql, column)).toEqual([]);
    expect(readsOf(t.sql, 'NULL AS abstract')).not.toEqual([]);
  });

  it('reads and shows them when the operation names one, in a fragment and under an alias', async () => {
    t.sql.length = 0;
    const result = await t.exec(
      document(`
        query {
          events(first: 5) { nodes { talks { ...TalkText } } }
        }
        fragment TalkText on Talk { id text: abstract }
      `),
    );
    expect(result.errors).toBeUndefined();
    expect(readsOf(t.sql, 't.abstract')).not.toEqual([]);
    const events = (result.data?.events as { nodes: { talks: { text: string | null }[] }[] }).nodes;
    expect(events.flatMap((event) => event.talks.map((talk) => talk.text))).toContain(abstract);
  });

  it('keeps them through an admin write whose document does not name them', async () => {
    const [row] = await t.server.db.query(
      'SELECT id FROM talks WHERE abstract = :abstract ORDER BY id LIMIT 1',
      { abstract },
    );
    const id = toGlobalId('Talk', toInt(row?.id));
    const token = await t.token('admin-1', 'admin');
    const updated = await t.exec(
      document(
        `mutation ($id: ID!) { updateTalk(id: $id, input: { title: "Renamed" }) { title } }`,
      ),
      { id },
      { token },
    );
    expect(updated.errors).toBeUndefined();
    expect(updated.data?.updateTalk).toEqual({ title: 'Renamed' });
    const read = await t.exec(
      document(`query ($id: ID!) { node(id: $id) { ... on Talk { title abstract } } }`),
      { id },
    );
    expect(read.data?.node).toEqual({ title: 'Renamed', abstract });
  });
});

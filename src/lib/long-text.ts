import { BREAK, type DocumentNode, visit } from 'graphql';

/** Fields that show a long text column: Event.summary, Talk.abstract, Speaker.bio, Topic.description. */
const LONG_TEXT_FIELDS: ReadonlySet<string> = new Set([
  'summary',
  'abstract',
  'bio',
  'description',
]);

const named = new WeakMap<DocumentNode, boolean>();

/**
 * Whether `document` asks for a field of one of those names anywhere (any type, alias or
 * fragment): if not, its reads can leave every long text column out. By name only, so an
 * introspection `description` keeps them in: erring that way costs bytes, never an answer.
 * Remembered per document (Apollo hands the same parsed document to repeats of a query).
 */
export function namesLongText(document: DocumentNode): boolean {
  let names = named.get(document);
  if (names === undefined) {
    names = false;
    visit(document, {
      Field(node) {
        if (!LONG_TEXT_FIELDS.has(node.name.value)) return undefined;
        names = true;
        return BREAK;
      },
    });
    named.set(document, names);
  }
  return names;
}

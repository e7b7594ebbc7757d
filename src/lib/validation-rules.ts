import { GraphQLError, type ValidationContext, type ValidationRule } from 'graphql';

/**
 * Per-document limits that run with graphql-js's own validation, so a document over them
 * is refused as GRAPHQL_VALIDATION_FAILED before anything executes. They are constants,
 * not configuration: no real client comes near them, and every one bounds work the
 * depth and cost limits do not see (aliases of free fields, directives, tokens).
 */

/**
 * Aliases in one document. The app's own operations use none; a dashboard asking for a
 * handful of events by slug uses a few. Alias bombs (the same field a thousand times)
 * multiply work while staying shallow.
 */
export const MAX_ALIASES = 30;
/** Directive uses in one document (`@skip`, `@include`…); each is evaluated per object. */
export const MAX_DIRECTIVES = 20;
/**
 * Lexical tokens in one document, enforced by graphql-js's parser (`maxTokens`), which
 * stops reading there: no AST is built for a 1 MB document of braces. The standard
 * introspection query has about 300; the largest operation of the app about 150.
 */
export const MAX_TOKENS = 5_000;

export function maxAliasesRule(limit = MAX_ALIASES): ValidationRule {
  return (context) => {
    let aliases = 0;
    return {
      Field(node) {
        if (node.alias) aliases++;
      },
      Document: { leave: () => reportOver(context, aliases, 'aliases', limit) },
    };
  };
}

export function maxDirectivesRule(limit = MAX_DIRECTIVES): ValidationRule {
  return (context) => {
    let directives = 0;
    return {
      Directive() {
        directives++;
      },
      Document: { leave: () => reportOver(context, directives, 'directives', limit) },
    };
  };
}

/** One error per document, naming the limit and how many it has. */
function reportOver(context: ValidationContext, count: number, what: string, limit: number) {
  if (count > limit) {
    context.reportError(
      new GraphQLError(`The document has ${count} ${what}; the limit is ${limit}`),
    );
  }
}

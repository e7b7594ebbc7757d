/**
 * One named operation from schema/operations, as the explorer offers it. Built by
 * src/web/build-web.ts at bundle time and imported by the explorer as `talkgraph:examples`.
 */
export interface Example {
  name: string;
  /** The file it comes from, without `.graphql`: "events", "dashboard"… */
  group: string;
  kind: 'query' | 'mutation' | 'subscription';
  /** The comment lines just above it, if any. */
  description: string;
  /** The operation, then every fragment it spreads: runnable as it is. */
  query: string;
  /** Example variables as pretty JSON ("" when it takes none). */
  variables: string;
}

/** What `talkgraph:examples` exports. */
export interface ExampleCatalog {
  examples: Example[];
  /** Names of the examples opened as tabs on a first visit, in order. */
  defaultTabs: string[];
}

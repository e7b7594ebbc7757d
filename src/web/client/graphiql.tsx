import './monaco-workers';
// graphiql/style.css would also inline Roboto and Fira Code (about 470 KB we never use:
// graphiql.css sets system fonts), so the same stylesheets are taken one by one instead.
import 'monaco-editor/min/vs/editor/editor.main.css';
import '@graphiql/react/style.css';
import '@graphiql/plugin-doc-explorer/style.css';
import '@graphiql/plugin-history/style.css';
import 'graphiql/graphiql.css';
import './graphiql.css';
import { pick, useGraphiQL } from '@graphiql/react';
import { GraphiQL, HISTORY_PLUGIN } from 'graphiql';
import { StrictMode, useEffect } from 'react';
import { createRoot } from 'react-dom/client';
import { catalog } from 'talkgraph:examples';
import { EXAMPLES_PLUGIN } from './examples-plugin';
import { createFetcher } from './fetcher';

const byName = new Map(catalog.examples.map((example) => [example.name, example]));
const defaultTabs = catalog.defaultTabs.map((name) => {
  const { query, variables } = byName.get(name)!;
  return { query, variables };
});

// GraphiQL 5 fills the first tab's editors from initialQuery/initialVariables, not from
// defaultTabs[0] (whose variables would show empty): hand them over on a first visit.
// Later visits restore the tabs GraphiQL stored, which these props would add to.
const firstVisit = window.localStorage.getItem('graphiql:tabState') === null;
const firstTab = firstVisit ? defaultTabs[0] : undefined;

/**
 * The logo, which also tunes the editors once they exist (it is the one always-rendered
 * slot GraphiQL offers inside its store): Monaco boxes every full-width character such as
 * "，" or "：" as easily confused with ASCII, which marks up all Chinese text.
 */
function Logo() {
  const editors = useGraphiQL(
    pick('queryEditor', 'variableEditor', 'headerEditor', 'responseEditor'),
  );
  useEffect(() => {
    for (const editor of Object.values(editors)) {
      editor?.updateOptions({ unicodeHighlight: { ambiguousCharacters: false } });
    }
  }, [editors]);
  return (
    <>
      talkgraph{' '}
      <a className="talkgraph-logo-link" href="/dashboard">
        dashboard
      </a>
    </>
  );
}

const fetcher = createFetcher(new URL('/graphql', window.location.href));

createRoot(document.getElementById('graphiql')!).render(
  <StrictMode>
    <GraphiQL
      fetcher={fetcher}
      defaultTabs={defaultTabs}
      initialQuery={firstTab?.query}
      initialVariables={firstTab?.variables}
      plugins={[EXAMPLES_PLUGIN, HISTORY_PLUGIN]}
      defaultEditorToolsVisibility="variables"
    >
      <GraphiQL.Logo>
        <Logo />
      </GraphiQL.Logo>
    </GraphiQL>
  </StrictMode>,
);

import { type GraphiQLPlugin, pick, useGraphiQL, useGraphiQLActions } from '@graphiql/react';
import { catalog } from 'talkgraph:examples';
import type { Example } from './example';

const KIND_LABELS = { query: 'query', mutation: 'mut', subscription: 'sub' } as const;

const groups = [...new Set(catalog.examples.map((example) => example.group))];

function ExamplesPanel() {
  const { addTab } = useGraphiQLActions();
  const { queryEditor, variableEditor, headerEditor } = useGraphiQL(
    pick('queryEditor', 'variableEditor', 'headerEditor'),
  );
  // A new tab per example, keeping the headers (a pasted token) of the tab it came from.
  const open = (example: Example): void => {
    const headers = headerEditor?.getValue() ?? '';
    addTab();
    queryEditor?.setValue(example.query);
    variableEditor?.setValue(example.variables);
    headerEditor?.setValue(headers);
  };
  return (
    <section className="talkgraph-examples" aria-label="Example operations">
      <div className="graphiql-doc-explorer-title">Examples</div>
      <p className="talkgraph-examples-intro">
        The named operations of <code>schema/operations/</code>. Each opens in a new tab.
      </p>
      {groups.map((group) => (
        <details key={group} open={group === 'events' || group === 'dashboard'}>
          <summary>{group}</summary>
          <ul>
            {catalog.examples
              .filter((example) => example.group === group)
              .map((example) => (
                <li key={example.name}>
                  <button
                    type="button"
                    className="talkgraph-example"
                    data-example={example.name}
                    title={example.description || undefined}
                    onClick={() => open(example)}
                  >
                    <span
                      className={`talkgraph-kind talkgraph-kind-${example.kind}`}
                      title={example.kind}
                    >
                      {KIND_LABELS[example.kind]}
                    </span>
                    <span className="talkgraph-name">{example.name}</span>
                  </button>
                </li>
              ))}
          </ul>
        </details>
      ))}
    </section>
  );
}

function ExamplesIcon() {
  return (
    <svg viewBox="0 0 24 24" width="1em" height="1em" aria-hidden="true">
      <path
        fill="none"
        stroke="currentColor"
        strokeWidth="1.5"
        d="M4 5h16M4 12h16M4 19h10"
        strokeLinecap="round"
      />
    </svg>
  );
}

export const EXAMPLES_PLUGIN: GraphiQLPlugin = {
  title: 'Examples',
  icon: ExamplesIcon,
  content: ExamplesPanel,
};

import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import {
  type DefinitionNode,
  type DocumentNode,
  Kind,
  type OperationDefinitionNode,
  parse,
  type TypeNode,
  visit,
} from 'graphql';
import type { Example, ExampleCatalog } from './client/example';

/** Opened as tabs on a first visit: the nested read, the leaderboard, a live subscription. */
const DEFAULT_TABS = ['NestedEvents', 'DashboardLeaderboard', 'CounterUpdated'];

/**
 * Variables that make an example run against the seeded 掘力计划 第21期 data as it is.
 * Operations not listed get generated ones: `first: 5`, and an empty value of the right
 * type for each required variable (ids are opaque, so the user pastes one).
 */
const EXAMPLE_VARIABLES: Record<string, Record<string, unknown>> = {
  NestedEvents: { first: 5 },
  EventDetail: { slug: 'jue-li-ji-hua-21' },
  EventPage: { first: 5, filter: { series: '掘力计划' } },
  SpeakerDetail: { slug: 'xue-yu-fei' },
  SpeakerStats: { slug: 'song-gu-yang', days: 30 },
  TalkDetail: { slug: 'codegeex' },
  SpeakerPage: { first: 5, orderBy: { field: 'TALK_COUNT', direction: 'DESC' } },
  TalkPage: { first: 5, orderBy: { field: 'VIEWS', direction: 'DESC' } },
  TopicDetail: { slug: 'da-mo-xing' },
  TopicConnections: { slug: 'da-mo-xing', talksFirst: 5, speakersFirst: 5 },
  LookupAll: { slug: 'da-mo-xing' },
  Search: { query: '大模型', first: 10 },
  DashboardLeaderboard: { metric: 'VIEWS', first: 10 },
  DashboardSpeakerHistory: { id: '', days: 30 },
};

interface Definition {
  group: string;
  text: string;
  description: string;
  spreads: string[];
}

/**
 * Every named operation in `dir` (schema/operations), each made runnable on its own by
 * appending the fragments it spreads, transitively, from any file.
 */
export async function loadExamples(dir: string): Promise<ExampleCatalog> {
  const files = (await readdir(dir)).filter((name) => name.endsWith('.graphql')).sort();
  const fragments = new Map<string, Definition>();
  const operations: { definition: Definition; node: OperationDefinitionNode }[] = [];
  for (const file of files) {
    const source = await readFile(join(dir, file), 'utf8');
    const document = parse(source);
    const group = basename(file, '.graphql');
    for (const node of document.definitions) {
      const definition: Definition = {
        group,
        text: source.slice(node.loc!.start, node.loc!.end),
        description: commentAbove(source, node),
        spreads: spreadsIn(node),
      };
      if (node.kind === Kind.FRAGMENT_DEFINITION) fragments.set(node.name.value, definition);
      if (node.kind === Kind.OPERATION_DEFINITION && node.name) {
        operations.push({ definition, node });
      }
    }
  }
  const examples = operations.map(({ definition, node }): Example => {
    const name = node.name!.value;
    const needed = fragmentClosure(definition.spreads, fragments);
    const variables = EXAMPLE_VARIABLES[name] ?? generatedVariables(node);
    return {
      name,
      group: definition.group,
      kind: node.operation,
      description: definition.description,
      query: [definition.text, ...needed.map((fragment) => fragment.text)].join('\n\n') + '\n',
      variables: Object.keys(variables).length > 0 ? JSON.stringify(variables, null, 2) : '',
    };
  });
  const names = new Set(examples.map((example) => example.name));
  return { examples, defaultTabs: DEFAULT_TABS.filter((name) => names.has(name)) };
}

/** The `#` lines directly above a definition, without their markers. */
function commentAbove(source: string, node: DefinitionNode): string {
  const lines = source.slice(0, node.loc!.start).split('\n');
  lines.pop();
  const comment: string[] = [];
  for (let line = lines.pop(); line !== undefined && /^\s*#/.test(line); line = lines.pop()) {
    comment.unshift(line.replace(/^\s*#\s?/, ''));
  }
  return comment.join(' ').trim();
}

function spreadsIn(node: DefinitionNode): string[] {
  const names = new Set<string>();
  visit(node as unknown as DocumentNode, {
    FragmentSpread(spread) {
      names.add(spread.name.value);
    },
  });
  return [...names];
}

/** The fragments `spreads` need, each once, in first-use order. */
function fragmentClosure(spreads: string[], fragments: Map<string, Definition>): Definition[] {
  const seen = new Set<string>();
  const ordered: Definition[] = [];
  const add = (name: string): void => {
    if (seen.has(name)) return;
    seen.add(name);
    const fragment = fragments.get(name);
    if (!fragment) throw new Error(`schema/operations: unknown fragment ${name}`);
    ordered.push(fragment);
    fragment.spreads.forEach(add);
  };
  spreads.forEach(add);
  return ordered;
}

function generatedVariables(node: OperationDefinitionNode): Record<string, unknown> {
  const variables: Record<string, unknown> = {};
  for (const definition of node.variableDefinitions ?? []) {
    const name = definition.variable.name.value;
    if (definition.type.kind === Kind.NON_NULL_TYPE) variables[name] = emptyValue(definition.type);
    else if (name === 'first') variables[name] = 5;
  }
  return variables;
}

function emptyValue(type: TypeNode): unknown {
  if (type.kind === Kind.NON_NULL_TYPE) return emptyValue(type.type);
  if (type.kind === Kind.LIST_TYPE) return [];
  switch (type.name.value) {
    case 'Int':
      return 10;
    case 'Boolean':
      return false;
    case 'ID':
    case 'String':
    case 'DateTime':
      return '';
    default:
      return type.name.value.endsWith('Input') ? {} : '';
  }
}

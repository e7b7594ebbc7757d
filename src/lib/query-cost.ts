import {
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  getArgumentValues,
  getDirectiveValues,
  getNamedType,
  getNullableType,
  getVariableValues,
  type GraphQLCompositeType,
  type GraphQLField,
  GraphQLIncludeDirective,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
  GraphQLSkipDirective,
  isAbstractType,
  isCompositeType,
  isListType,
  isObjectType,
  Kind,
  type OperationDefinitionNode,
  type SelectionNode,
  type SelectionSetNode,
} from 'graphql';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './pagination';

/**
 * How expensive an operation is, measured on the validated document before it runs.
 *
 * Depth: the deepest chain of nested fields; a root field is depth 1, so
 * `{ events { nodes { id } } }` is 3.
 *
 * Cost: the number of objects the response can hold, which is what the gateway loads
 * (one row each; every level is one batched statement). Each field of an object type
 * costs 1 per object it returns, plus what is selected inside those objects:
 * - a connection (`events`, `Topic.talks`…) returns `first` (or `last`) edges and nodes,
 *   20 when neither is given (API.md: "a list without `first` costs as 20");
 * - `nodes(ids)` returns one object per id, `search(first)` and any other list taking
 *   `first` returns `first` (its default when absent), `viewHistory(days)` one per day;
 * - a list without such an argument (`Event.talks`, `Talk.speakers`, `Talk.topics`,
 *   `Speaker.talks`…) is bounded by the data alone and costs UNPAGED_LIST_SIZE items
 *   (see there);
 * - scalar and enum fields cost nothing: they are columns of a row already loaded;
 * - `__typename` and the introspection fields cost nothing and add no depth. Introspection
 *   answers from the in-memory schema, and its nesting is bounded by graphql-js's
 *   MaxIntrospectionDepthRule, which runs with the standard validation rules;
 * - on an interface or union, the costliest of the possible object types counts;
 * - `@skip`/`@include` are honoured, so a skipped field costs nothing.
 * Page sizes are clamped to what the resolvers accept (0–100): a larger value is refused
 * by the resolver as BAD_USER_INPUT naming the argument, a more useful answer than a
 * cost error. Fragments are measured once per (fragment, type, page size), so fragment
 * bombs cost linear time; cycles (refused by validation anyway) count nothing.
 */
export interface QueryMeasure {
  depth: number;
  cost: number;
  /**
   * True when the walk stopped at MAX_WALK_DEPTH levels of nesting: `depth` is then a lower
   * bound (such a document is refused as too deep whatever the configuration).
   */
  truncated: boolean;
  /** The root fields that run, by response key (an alias, else the name), once each. */
  rootFields: { responseKey: string; name: string }[];
}

/**
 * Lists that take no page argument (an event's talks, a talk's speakers and topics, a
 * speaker's talks and events) are short by nature: a salon has about five talks (the real
 * 第21期 has four), a talk one to three speakers and a few topics. Five is a realistic
 * upper estimate; the costs only need to rank queries, and a larger guess (10 or 20)
 * would refuse the app's own home page (NestedEvents) at 100 events.
 */
export const UNPAGED_LIST_SIZE = 5;
/**
 * The only arguments the measure reads (listSize, pageSize): a variable anywhere else
 * (an id, a filter) cannot change an operation's depth or cost.
 */
export const SIZE_ARGUMENTS: ReadonlySet<string> = new Set(['ids', 'first', 'last', 'days']);
/** `viewHistory(days)` returns one row per day, at most a year (API.md: 1 to 365). */
const MAX_DAYS = 365;
/** Far above any MAX_DEPTH (at most 100): only guards the recursion of the walk itself. */
export const MAX_WALK_DEPTH = 1_000;

interface Measure {
  depth: number;
  cost: number;
}
const NOTHING: Measure = { depth: 0, cost: 0 };

class WalkTooDeep extends Error {}

/**
 * The variables as execution will see them (defaults applied, types coerced); empty when
 * they do not coerce, since execution then refuses them itself with BAD_USER_INPUT.
 */
export function coerceVariables(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  raw: Record<string, unknown> | undefined,
): Record<string, unknown> {
  const result = getVariableValues(schema, operation.variableDefinitions ?? [], raw ?? {}, {
    maxErrors: 1,
  });
  return result.coerced ?? {};
}

/** Depth, cost and root fields of `operation`; see QueryMeasure for the model. */
export function measureOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
): QueryMeasure {
  const walker = new Walker(schema, document, variables);
  const root = schema.getRootType(operation.operation);
  if (!root) return { depth: 0, cost: 0, truncated: false, rootFields: [] };
  const rootFields = walker.rootFields(operation.selectionSet, root);
  try {
    return {
      ...walker.selectionSet(operation.selectionSet, root, null, 0),
      truncated: false,
      rootFields,
    };
  } catch (error) {
    if (!(error instanceof WalkTooDeep)) throw error;
    return { depth: MAX_WALK_DEPTH, cost: Number.MAX_SAFE_INTEGER, truncated: true, rootFields };
  }
}

class Walker {
  private readonly fragments = new Map<string, FragmentDefinitionNode>();
  private readonly measured = new Map<string, Measure>();
  private readonly measuring = new Set<string>();

  constructor(
    private readonly schema: GraphQLSchema,
    document: DocumentNode,
    private readonly variables: Record<string, unknown>,
  ) {
    for (const definition of document.definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION)
        this.fragments.set(definition.name.value, definition);
    }
  }

  /** As graphql-js collects them: fragments once, fields merged by response key. */
  rootFields(set: SelectionSetNode, root: GraphQLObjectType): QueryMeasure['rootFields'] {
    const fields = new Map<string, string>();
    const visited = new Set<string>();
    const collect = (selections: readonly SelectionNode[]): void => {
      for (const selection of selections) {
        if (!this.included(selection)) continue;
        if (selection.kind === Kind.FIELD) {
          const key = selection.alias?.value ?? selection.name.value;
          if (!fields.has(key)) fields.set(key, selection.name.value);
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          if (this.applies(selection.typeCondition?.name.value, root))
            collect(selection.selectionSet.selections);
        } else if (!visited.has(selection.name.value)) {
          visited.add(selection.name.value);
          const fragment = this.fragments.get(selection.name.value);
          if (fragment && this.applies(fragment.typeCondition.name.value, root))
            collect(fragment.selectionSet.selections);
        }
      }
    };
    collect(set.selections);
    return [...fields].map(([responseKey, name]) => ({ responseKey, name }));
  }

  /** The costliest possible object type of `parent` counts. */
  selectionSet(
    set: SelectionSetNode,
    parent: GraphQLCompositeType,
    page: number | null,
    level: number,
  ): Measure {
    const types = isAbstractType(parent) ? this.schema.getPossibleTypes(parent) : [parent];
    let worst = NOTHING;
    for (const type of types) {
      const measure = this.onType(set.selections, type, page, level);
      worst = {
        depth: Math.max(worst.depth, measure.depth),
        cost: Math.max(worst.cost, measure.cost),
      };
    }
    return worst;
  }

  /**
   * `spread` holds the fragments already counted in this selection set (with its inline
   * fragments): execution collects each fragment once per selection set, so `...F ...F`
   * costs one F.
   */
  private onType(
    selections: readonly SelectionNode[],
    type: GraphQLObjectType,
    page: number | null,
    level: number,
    spread = new Set<string>(),
  ): Measure {
    if (level >= MAX_WALK_DEPTH) throw new WalkTooDeep();
    let depth = 0;
    let cost = 0;
    for (const selection of selections) {
      if (!this.included(selection)) continue;
      let measure: Measure;
      if (selection.kind === Kind.FIELD) {
        measure = this.field(selection, type, page, level);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        if (!this.applies(selection.typeCondition?.name.value, type)) continue;
        measure = this.onType(selection.selectionSet.selections, type, page, level + 1, spread);
      } else {
        if (spread.has(selection.name.value)) continue;
        spread.add(selection.name.value);
        measure = this.spread(selection.name.value, type, page, level);
      }
      depth = Math.max(depth, measure.depth);
      cost = saturate(cost + measure.cost);
    }
    return { depth, cost };
  }

  private spread(name: string, type: GraphQLObjectType, page: number | null, level: number) {
    const fragment = this.fragments.get(name);
    if (!fragment || !this.applies(fragment.typeCondition.name.value, type)) return NOTHING;
    const key = `${name}\0${type.name}\0${page}`;
    const known = this.measured.get(key);
    if (known) return known;
    if (this.measuring.has(key)) return NOTHING;
    this.measuring.add(key);
    const measure = this.onType(fragment.selectionSet.selections, type, page, level + 1);
    this.measuring.delete(key);
    this.measured.set(key, measure);
    return measure;
  }

  private field(node: FieldNode, parent: GraphQLObjectType, page: number | null, level: number) {
    const definition = node.name.value.startsWith('__')
      ? undefined
      : parent.getFields()[node.name.value];
    if (!definition) return NOTHING;
    const type = getNamedType(definition.type);
    if (!isCompositeType(type) || !node.selectionSet) return { depth: 1, cost: 0 };
    const args = this.args(definition, node);
    const items = isListType(getNullableType(definition.type))
      ? this.listSize(definition, args, parent, page)
      : 1;
    const inside = this.selectionSet(
      node.selectionSet,
      type,
      isConnection(type) ? pageSize(args) : null,
      level + 1,
    );
    return { depth: 1 + inside.depth, cost: saturate(items * (1 + inside.cost)) };
  }

  private listSize(
    definition: GraphQLField<unknown, unknown>,
    args: Record<string, unknown>,
    parent: GraphQLObjectType,
    page: number | null,
  ): number {
    const { name } = definition;
    if (page !== null && isConnection(parent) && (name === 'edges' || name === 'nodes'))
      return page;
    if (Array.isArray(args.ids)) return clamp(args.ids.length, MAX_PAGE_SIZE);
    if (definition.args.some((arg) => arg.name === 'first' || arg.name === 'last'))
      return pageSize(args);
    if (typeof args.days === 'number') return clamp(args.days, MAX_DAYS);
    return UNPAGED_LIST_SIZE;
  }

  private args(
    definition: GraphQLField<unknown, unknown>,
    node: FieldNode,
  ): Record<string, unknown> {
    try {
      return getArgumentValues(definition, node, this.variables);
    } catch {
      // Execution refuses the argument with its own error; the defaults stand in meanwhile.
      return {};
    }
  }

  private included(selection: SelectionNode): boolean {
    try {
      if (getDirectiveValues(GraphQLSkipDirective, selection, this.variables)?.if === true)
        return false;
      return getDirectiveValues(GraphQLIncludeDirective, selection, this.variables)?.if !== false;
    } catch {
      return true;
    }
  }

  /** Whether a fragment with this type condition (none: always) applies to `type`. */
  private applies(condition: string | undefined, type: GraphQLObjectType): boolean {
    if (condition === undefined || condition === type.name) return true;
    const conditionType = this.schema.getType(condition);
    return (
      conditionType !== undefined &&
      isAbstractType(conditionType) &&
      this.schema.isSubType(conditionType, type)
    );
  }
}

/** A Relay connection: its `edges` and `nodes` hold one page. */
function isConnection(type: GraphQLNamedType): boolean {
  if (!isObjectType(type) || !type.name.endsWith('Connection')) return false;
  const fields = type.getFields();
  return 'edges' in fields || 'nodes' in fields;
}

function pageSize(args: Record<string, unknown>): number {
  const size = typeof args.first === 'number' ? args.first : args.last;
  return typeof size === 'number' ? clamp(size, MAX_PAGE_SIZE) : DEFAULT_PAGE_SIZE;
}

function clamp(value: number, max: number): number {
  return Math.min(Math.max(value, 0), max);
}

function saturate(value: number): number {
  return Math.min(value, Number.MAX_SAFE_INTEGER);
}

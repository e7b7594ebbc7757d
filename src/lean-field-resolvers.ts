import {
  type GraphQLFieldResolver,
  type GraphQLResolveInfo,
  type GraphQLSchema,
  isObjectType,
} from 'graphql';
import { getMetadataStorage } from 'type-graphql';

type FieldResolverMetadata = ReturnType<typeof getMetadataStorage>['fieldResolvers'][number];
type ParamMetadata = NonNullable<FieldResolverMetadata['params']>[number];
type Resolver = GraphQLFieldResolver<unknown, unknown>;
type Method = (...params: unknown[]) => unknown;
type ObjectClass = ReturnType<typeof getMetadataStorage>['objectTypes'][number]['target'];
/** A class given to buildSchema, or one type-graphql recorded (resolver targets, object types). */
type AnyClass = abstract new (...args: never[]) => unknown;

/**
 * type-graphql runs every field resolver of a resolver class through one generic wrapper:
 * a ResolverData object, the middleware chain, and `getParams`, which sorts the parameter
 * list and maps it into a new array on every call. On the nested page (W1: ~600 such calls
 * a request) that is ~5 % of the CPU, plus the garbage.
 *
 * This binds such a field straight to its method when nothing of that wrapper applies: no
 * middleware, no roles, and only @Root(), @Ctx() and @Info() parameters (every hot field:
 * counters, ids, nested lists). A root that type-graphql would convert first (not an
 * instance of the parameter's declared class) still goes through type-graphql's resolver,
 * as does every other field. Called once, on the schema buildSchema returned.
 * @param resolverClasses the classes given to buildSchema: the method that runs is theirs
 * @returns the fields bound, as `Type.field`
 */
export function bindLeanFieldResolvers(
  schema: GraphQLSchema,
  resolverClasses: readonly AnyClass[],
): string[] {
  const storage = getMetadataStorage();
  const typeNames = new Map<ObjectClass, string>(
    storage.objectTypes.map((type) => [type.target, type.name]),
  );
  const byField = new Map<string, FieldResolverMetadata[]>();
  for (const definition of storage.fieldResolvers) {
    if (definition.kind !== 'external' || !definition.getObjectType) continue;
    const objectType = objectTypeOf(definition);
    const typeName = objectType && typeNames.get(objectType);
    if (typeName === undefined) continue;
    const key = `${typeName}.${definition.schemaName}`;
    byField.set(key, [...(byField.get(key) ?? []), definition]);
  }
  const instances = new Map<AnyClass, object>();
  const bound: string[] = [];
  for (const [key, definitions] of byField) {
    // Declared twice (a subclass redeclaring a field): type-graphql's choice, not ours.
    if (definitions.length !== 1) continue;
    const [definition] = definitions as [FieldResolverMetadata];
    const [typeName, fieldName] = key.split('.') as [string, string];
    const type = schema.getType(typeName);
    const field = isObjectType(type) ? type.getFields()[fieldName] : undefined;
    const owners = resolverClasses.filter(
      (cls) =>
        cls === definition.target || Object.prototype.isPrototypeOf.call(definition.target, cls),
    );
    if (!field?.resolve || owners.length !== 1 || !isPlain(definition)) continue;
    const [owner] = owners as [AnyClass];
    let instance = instances.get(owner);
    if (!instance) {
      // What type-graphql's default container does: one instance per class, no arguments.
      instance = new (owner as unknown as new () => object)();
      instances.set(owner, instance);
    }
    const method = (instance as Record<string, unknown>)[definition.methodName];
    if (typeof method !== 'function') continue;
    field.resolve = leanResolver(
      method.bind(instance) as Method,
      definition.params!,
      field.resolve,
    );
    bound.push(key);
  }
  return bound;
}

/** The object class a field resolver belongs to; undefined for one no schema was built with. */
function objectTypeOf(definition: FieldResolverMetadata): ObjectClass | undefined {
  try {
    return definition.getObjectType?.();
  } catch {
    return undefined;
  }
}

function isPlain(definition: FieldResolverMetadata): boolean {
  if ((definition.middlewares?.length ?? 0) > 0 || (definition.roles?.length ?? 0) > 0)
    return false;
  return (definition.params ?? []).every(
    (param) =>
      param.kind === 'info' ||
      ((param.kind === 'root' || param.kind === 'context') && param.propertyName === undefined),
  );
}

/** The method called with its parameters in declaration order, as type-graphql would. */
function leanResolver(
  method: Method,
  params: readonly ParamMetadata[],
  original: Resolver,
): Resolver {
  const kinds = [...params].sort((a, b) => a.index - b.index).map((param) => param.kind);
  const declared = params.find((param) => param.kind === 'root')?.getType?.();
  const rootClass = typeof declared === 'function' && declared !== Object ? declared : undefined;
  const converts = (root: unknown): boolean =>
    rootClass !== undefined && root !== null && root !== undefined && !(root instanceof rootClass);
  const pick = (kind: string, root: unknown, context: unknown, info: GraphQLResolveInfo) =>
    kind === 'root' ? root : kind === 'context' ? context : info;
  // The two shapes every hot field has, without an array per call.
  if (kinds.length === 2 && kinds[0] === 'root' && kinds[1] === 'context') {
    return (root, args, context, info) =>
      converts(root) ? original(root, args, context, info) : method(root, context);
  }
  if (kinds.length === 1 && kinds[0] === 'root') {
    return (root, args, context, info) =>
      converts(root) ? original(root, args, context, info) : method(root);
  }
  return (root, args, context, info) =>
    converts(root)
      ? original(root, args, context, info)
      : method(...kinds.map((kind) => pick(kind, root, context, info)));
}

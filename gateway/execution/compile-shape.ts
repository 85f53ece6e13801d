/**
 * Compiling the result's shape, once per operation and combination of @skip/@include values: how each
 * value of the answer is checked and copied, as @apollo/gateway's resultShaping would check and copy it.
 */
import {
  isAbstractType,
  isEnumType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  Kind,
  type DirectiveNode,
  type FragmentDefinitionNode,
  type GraphQLEnumType,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type SelectionNode,
} from 'graphql';
import type { FieldShape, ObjectShape, ValueShape } from './compiled-plan.ts';

/**
 * The most object shapes one operation may compile to. Each interface or union field multiplies its
 * selections by its possible types; an operation past this is left to the gateway, compiled or not.
 */
export const MAX_OBJECT_SHAPES = 1_000;

/** What compiling one operation's selection reads, and how many more object shapes it may make. */
export interface Compilation {
  schema: GraphQLSchema;
  fragments: Map<string, FragmentDefinitionNode>;
  /** The values of the variables of @skip and @include this shape is compiled for. */
  conditions: ReadonlyMap<string, boolean>;
  shapesLeft: number;
}

/**
 * The shape of an object of `parentType` for these selections, merged by response key in first-seen order
 * as the gateway merges them; undefined for anything that could only be settled per request.
 */
export function compileObject(
  selections: readonly SelectionNode[],
  parentType: GraphQLObjectType,
  compilation: Compilation,
): ObjectShape | undefined {
  if (--compilation.shapesLeft < 0) return undefined;
  const { schema, fragments } = compilation;
  const byKey = new Map<string, { name: string; selections: SelectionNode[] }>();
  // A named fragment collected once into an object adds nothing the second time: skipped, so that
  // fragments spreading each other many times cannot make compiling exponential.
  const collected = new Set<string>();
  const collect = (nodes: readonly SelectionNode[]): boolean => {
    for (const node of nodes) {
      const included = isIncluded(node.directives ?? [], compilation.conditions);
      if (included === undefined) return false;
      if (!included) continue;
      if (node.kind === Kind.FIELD) {
        const key = node.alias?.value ?? node.name.value;
        // An alias starting with "__" would be an own "__proto__" key in some objects: left to the gateway.
        if (key.startsWith('__') && key !== '__typename') return false;
        const merged = byKey.get(key) ?? { name: node.name.value, selections: [] };
        merged.selections.push(...(node.selectionSet?.selections ?? []));
        byKey.set(key, merged);
        continue;
      }
      if (node.kind === Kind.FRAGMENT_SPREAD) {
        if (collected.has(node.name.value)) continue;
        collected.add(node.name.value);
      }
      const fragment = node.kind === Kind.INLINE_FRAGMENT ? node : fragments.get(node.name.value);
      if (!fragment || (fragment.kind === Kind.FRAGMENT_DEFINITION && fragment.directives?.length)) return false;
      const condition = fragment.typeCondition && schema.getType(fragment.typeCondition.name.value);
      const applies = !condition || condition === parentType || (isAbstractType(condition) && schema.isSubType(condition, parentType));
      if (applies && !collect(fragment.selectionSet.selections)) return false;
    }
    return true;
  };
  if (!collect(selections)) return undefined;

  const fields: FieldShape[] = [];
  for (const [key, { name, selections: nested }] of byKey) {
    if (name === '__typename') {
      fields.push({ key, typename: true });
      continue;
    }
    const field = parentType.getFields()[name];
    // Selected through an interface, the gateway shapes the value by the interface's field type: only
    // where both are the same type is it settled here.
    if (!field || parentType.getInterfaces().some((type) => String(type.getFields()[name]?.type ?? field.type) !== String(field.type)))
      return undefined;
    const value = compileValue(field.type, nested, compilation);
    if (!value) return undefined;
    fields.push({ key, value });
  }
  return { typeName: parentType.name, fields };
}

/**
 * Whether a selection with these directives is part of the result, as resultShaping's `shouldSkip` decides;
 * undefined for any other directive, or a condition that is neither a literal nor a known variable.
 */
function isIncluded(directives: readonly DirectiveNode[], conditions: ReadonlyMap<string, boolean>): boolean | undefined {
  let included = true;
  for (const directive of directives) {
    const name = directive.name.value;
    const condition =
      directive.arguments?.length === 1 && directive.arguments[0]!.name.value === 'if' ? directive.arguments[0]!.value : undefined;
    const value =
      condition?.kind === Kind.BOOLEAN
        ? condition.value
        : condition?.kind === Kind.VARIABLE
          ? conditions.get(condition.name.value)
          : undefined;
    if ((name !== 'skip' && name !== 'include') || value === undefined) return undefined;
    if (name === 'skip' ? value : !value) included = false;
  }
  return included;
}

function compileValue(type: GraphQLOutputType, selections: SelectionNode[], compilation: Compilation): ValueShape | undefined {
  const nonNull = isNonNullType(type);
  const nullable = nonNull ? type.ofType : type;
  if (isListType(nullable)) {
    const list = compileValue(nullable.ofType, selections, compilation);
    return list && { nonNull, list };
  }
  if (isObjectType(nullable)) {
    const object = compileObject(selections, nullable, compilation);
    return object && { nonNull, object };
  }
  if (isAbstractType(nullable)) {
    const objectOfType = new Map<string, ObjectShape>();
    for (const possibleType of compilation.schema.getPossibleTypes(nullable)) {
      const object = compileObject(selections, possibleType, compilation);
      if (!object) return undefined;
      objectOfType.set(possibleType.name, object);
    }
    return { nonNull, objectOfType };
  }
  if (isScalarType(nullable)) return { nonNull, accepts: scalarAccepts(nullable.name) };
  if (isEnumType(nullable)) return { nonNull, accepts: enumAccepts(nullable) };
  return undefined;
}

const INTEGER = /^-?(?:0|[1-9][0-9]*)$/;

/** A number written without fraction or exponent, as federation-internals checks Int and ID. */
function isInteger(value: unknown): boolean {
  return typeof value === 'number' && Number.isFinite(value) && INTEGER.test(String(value));
}

/** The values federation-internals' `isValidLeafValue` accepts for each scalar, which the gateway applies. */
function scalarAccepts(scalar: string): (value: unknown) => boolean {
  switch (scalar) {
    case 'Boolean':
      return (value) => typeof value === 'boolean';
    case 'Int':
      return isInteger;
    case 'ID':
      return (value) => typeof value === 'string' || isInteger(value);
    case 'Float':
      return (value) => typeof value === 'number' && Number.isFinite(value);
    case 'String':
      return (value) => typeof value === 'string';
    default:
      // Custom scalars: the gateway passes any value through.
      return () => true;
  }
}

/** Only the values the API schema shows (an @inaccessible value is hidden from it). */
function enumAccepts(type: GraphQLEnumType): (value: unknown) => boolean {
  return (value) => typeof value === 'string' && type.getValue(value) !== undefined;
}

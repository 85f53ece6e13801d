/**
 * What the supergraph declares about access: the `@authenticated` and `@requiresScopes` applications on
 * fields and types, read from the supergraph SDL (composition carries them there from every subgraph),
 * and the decision whether a caller meets them. A scope is a role name, held per project, as the caller's
 * credential issuer states it in the principal; the gateway knows no role's meaning beyond the directives.
 */
import { Kind, parse, type ConstDirectiveNode, type DocumentNode, type ConstValueNode, type DirectiveNode, type ValueNode } from 'graphql';
import type { Principal } from '../../../core/identity.ts';

/** One directive application: `@authenticated`, or `@requiresScopes(scopes:)`, any one group of which must be held whole. */
export type Requirement = { kind: 'authenticated' } | { kind: 'scopes'; anyOf: readonly (readonly string[])[] };

export interface SupergraphPolicy {
  /** Requirements of a type's own field, e.g. `Query.get_project`. */
  ofField(typeName: string, fieldName: string): readonly Requirement[];
  /** Requirements declared on a type itself, which hold for every field returning it. */
  ofType(typeName: string): readonly Requirement[];
}

const NONE: readonly Requirement[] = Object.freeze([]);
const SPECS = { authenticated: 'https://specs.apollo.dev/authenticated/', requiresScopes: 'https://specs.apollo.dev/requiresScopes/' };

function stringArgument(directive: ConstDirectiveNode | DirectiveNode, name: string): string | undefined {
  const value = directive.arguments?.find((argument) => argument.name.value === name)?.value;
  return value?.kind === Kind.STRING ? value.value : undefined;
}

function scopeGroups(value: ConstValueNode | ValueNode | undefined): string[][] {
  if (value?.kind !== Kind.LIST) return [];
  return value.values.map((group) =>
    group.kind === Kind.LIST ? group.values.flatMap((scope) => (scope.kind === Kind.STRING ? [scope.value] : [])) : [],
  );
}

/** `supergraph`: its SDL, or the document `readSupergraph` parsed. */
export function readSupergraphPolicy(supergraph: string | DocumentNode): SupergraphPolicy {
  const document = typeof supergraph === 'string' ? parse(supergraph, { noLocation: true }) : supergraph;
  // The directives' names in this supergraph: the spec's own, unless its @link renames it with `as:`.
  const names = new Map<string, 'authenticated' | 'requiresScopes'>();
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.SCHEMA_DEFINITION && definition.kind !== Kind.SCHEMA_EXTENSION) continue;
    for (const link of definition.directives ?? []) {
      const url = link.name.value === 'link' ? stringArgument(link, 'url') : undefined;
      for (const [spec, prefix] of Object.entries(SPECS) as [keyof typeof SPECS, string][]) {
        if (url?.startsWith(prefix)) names.set(stringArgument(link, 'as') ?? spec, spec);
      }
    }
  }

  const requirementsOf = (directives: readonly (ConstDirectiveNode | DirectiveNode)[] | undefined): readonly Requirement[] => {
    const found: Requirement[] = [];
    for (const directive of directives ?? []) {
      const spec = names.get(directive.name.value);
      if (spec === 'authenticated') found.push({ kind: 'authenticated' });
      if (spec === 'requiresScopes') {
        found.push({
          kind: 'scopes',
          anyOf: scopeGroups(directive.arguments?.find((argument) => argument.name.value === 'scopes')?.value),
        });
      }
    }
    return found.length > 0 ? found : NONE;
  };

  const fields = new Map<string, readonly Requirement[]>();
  const types = new Map<string, readonly Requirement[]>();
  for (const definition of document.definitions) {
    if (!('name' in definition) || !definition.name || definition.kind === Kind.DIRECTIVE_DEFINITION) continue;
    const typeName = definition.name.value;
    if ('directives' in definition) {
      const own = requirementsOf(definition.directives);
      if (own.length > 0) types.set(typeName, [...(types.get(typeName) ?? []), ...own]);
    }
    if ('fields' in definition) {
      for (const field of definition.fields ?? []) {
        const own = requirementsOf(field.directives);
        if (own.length > 0) fields.set(`${typeName}.${field.name.value}`, own);
      }
    }
  }
  return {
    ofField: (typeName, fieldName) => fields.get(`${typeName}.${fieldName}`) ?? NONE,
    ofType: (typeName) => types.get(typeName) ?? NONE,
  };
}

/** The project a field touches, when the gateway can know it (see README.md). */
export interface ProjectReference {
  id: string;
  /** The argument that named it, for NOT_FOUND. */
  argumentName: string;
}

export type Decision =
  { allowed: true } | { allowed: false; code: 'UNAUTHENTICATED' | 'FORBIDDEN' | 'NOT_FOUND'; message: string; argumentName?: string };

const ALLOWED: Decision = Object.freeze({ allowed: true });

function roleMeets(role: string, requirements: readonly Requirement[]): boolean {
  return requirements.every(
    (requirement) => requirement.kind === 'authenticated' || requirement.anyOf.some((group) => group.every((scope) => scope === role)),
  );
}

/**
 * Whether `principal` may use a field with these requirements. In a known project, the caller's role
 * there must meet them (no role there: NOT_FOUND, as for a project that does not exist). Where the project
 * cannot be known from the operation, a role that meets them in some project lets the caller through, and
 * the subgraph, which knows the resource's project, checks again (subgraphs/kit/authorize.ts).
 */
export function decide(
  requirements: readonly Requirement[],
  principal: Principal,
  project: ProjectReference | undefined,
  what: string,
): Decision {
  if (requirements.length === 0) return ALLOWED;
  if (principal.kind !== 'user' && principal.kind !== 'apiKey') {
    return {
      allowed: false,
      code: 'UNAUTHENTICATED',
      message: `Authentication required for ${what}: send an API key or a token as "Authorization: Bearer ..."`,
    };
  }
  if (requirements.every((requirement) => requirement.kind === 'authenticated')) return ALLOWED;
  const needed = requirements
    .flatMap((requirement) => (requirement.kind === 'scopes' ? requirement.anyOf.map((group) => group.join(' and ')) : []))
    .join(' or ');
  if (project) {
    const role = principal.roles[project.id];
    if (!role) return { allowed: false, code: 'NOT_FOUND', message: 'Project not found', argumentName: project.argumentName };
    if (roleMeets(role, requirements)) return ALLOWED;
    return { allowed: false, code: 'FORBIDDEN', message: `Role ${role} may not use ${what} (it needs ${needed})` };
  }
  if (Object.values(principal.roles).some((role) => roleMeets(role, requirements))) return ALLOWED;
  return { allowed: false, code: 'FORBIDDEN', message: `No role of the caller may use ${what} (it needs ${needed})` };
}

/**
 * What the subgraphs declare about their fields' meaning for security, in their SDL, through the directives
 * of our security spec (SECURITY_SPEC_URL), which each subgraph imports with `@link` and keeps in the
 * supergraph with `@composeDirective`:
 *
 * - `@loginAttempt` on a root field: every occurrence counts against the login rate limit.
 * - `@revokesCredentials` on a root mutation: once it has run, the gateway drops its cached credentials.
 * - `@projectScoped(argument: "project_id")` on a field: that argument names the project the field touches.
 *
 * Read from the supergraph the gateway serves, under the names its `@link` imports give them.
 */
import { Kind, type ConstDirectiveNode, type DirectiveNode, type DocumentNode } from 'graphql';

/** The spec's URL, without its version: any `v0.x` of it is read. */
export const SECURITY_SPEC_URL = 'https://specs.example/security/';

const DIRECTIVES = ['loginAttempt', 'revokesCredentials', 'projectScoped'] as const;
type SecurityDirective = (typeof DIRECTIVES)[number];

export interface SecurityDirectives {
  /** Root fields declared `@loginAttempt`. */
  loginFields: ReadonlySet<string>;
  /** Root fields declared `@revokesCredentials`. */
  revokingFields: ReadonlySet<string>;
  /** The argument `@projectScoped` names on `typeName.fieldName`, if any. */
  projectArgumentOf(typeName: string, fieldName: string): string | undefined;
}

export const NO_SECURITY_DIRECTIVES: SecurityDirectives = Object.freeze({
  loginFields: new Set<string>(),
  revokingFields: new Set<string>(),
  projectArgumentOf: () => undefined,
});

function stringArgument(directive: ConstDirectiveNode | DirectiveNode, name: string): string | undefined {
  const value = directive.arguments?.find((argument) => argument.name.value === name)?.value;
  return value?.kind === Kind.STRING ? value.value : undefined;
}

/** The local names of the spec's directives: `import: ["@loginAttempt", {name: "@projectScoped", as: "@inProject"}]`. */
function localNames(document: DocumentNode): Map<string, SecurityDirective> {
  const names = new Map<string, SecurityDirective>();
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.SCHEMA_DEFINITION && definition.kind !== Kind.SCHEMA_EXTENSION) continue;
    for (const link of definition.directives ?? []) {
      if (link.name.value !== 'link' || !stringArgument(link, 'url')?.startsWith(SECURITY_SPEC_URL)) continue;
      const imports = link.arguments?.find((argument) => argument.name.value === 'import')?.value;
      for (const entry of imports?.kind === Kind.LIST ? imports.values : []) {
        let name: string | undefined;
        let as: string | undefined;
        if (entry.kind === Kind.STRING) name = entry.value;
        if (entry.kind === Kind.OBJECT) {
          for (const field of entry.fields) {
            if (field.value.kind !== Kind.STRING) continue;
            if (field.name.value === 'name') name = field.value.value;
            if (field.name.value === 'as') as = field.value.value;
          }
        }
        const directive = DIRECTIVES.find((candidate) => `@${candidate}` === name);
        if (directive) names.set((as ?? name!).replace(/^@/, ''), directive);
      }
    }
  }
  return names;
}

function rootTypeNames(document: DocumentNode): Set<string> {
  const roots = new Set<string>();
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.SCHEMA_DEFINITION && definition.kind !== Kind.SCHEMA_EXTENSION) continue;
    for (const operation of definition.operationTypes ?? []) roots.add(operation.type.name.value);
  }
  return roots.size > 0 ? roots : new Set(['Query', 'Mutation', 'Subscription']);
}

export function readSecurityDirectives(supergraph: DocumentNode): SecurityDirectives {
  const names = localNames(supergraph);
  if (names.size === 0) return NO_SECURITY_DIRECTIVES;
  const roots = rootTypeNames(supergraph);
  const loginFields = new Set<string>();
  const revokingFields = new Set<string>();
  const projectArguments = new Map<string, string>();
  for (const definition of supergraph.definitions) {
    if (
      definition.kind !== Kind.OBJECT_TYPE_DEFINITION &&
      definition.kind !== Kind.OBJECT_TYPE_EXTENSION &&
      definition.kind !== Kind.INTERFACE_TYPE_DEFINITION
    )
      continue;
    const typeName = definition.name.value;
    for (const field of definition.fields ?? []) {
      for (const directive of field.directives ?? []) {
        const meaning = names.get(directive.name.value);
        if (meaning === 'projectScoped') {
          const argument = stringArgument(directive, 'argument');
          if (argument) projectArguments.set(`${typeName}.${field.name.value}`, argument);
        }
        if (!roots.has(typeName)) continue;
        if (meaning === 'loginAttempt') loginFields.add(field.name.value);
        if (meaning === 'revokesCredentials') revokingFields.add(field.name.value);
      }
    }
  }
  return { loginFields, revokingFields, projectArgumentOf: (typeName, fieldName) => projectArguments.get(`${typeName}.${fieldName}`) };
}

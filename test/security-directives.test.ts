/**
 * The security directives are read from a supergraph under the names its @link gives them, and only from
 * the fields of root types where they mean something there.
 */
import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { composeSupergraph } from '../gateway/supergraph/composition.ts';
import { readSecurityDirectives } from '../gateway/supergraph/security-directives.ts';

const SDL = `
extend schema
  @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@composeDirective"])
  @link(url: "https://specs.example/security/v0.1", import: [{ name: "@loginAttempt", as: "@countsAsLogin" }, "@revokesCredentials", "@projectScoped"])
  @composeDirective(name: "@countsAsLogin")
  @composeDirective(name: "@revokesCredentials")
  @composeDirective(name: "@projectScoped")
directive @countsAsLogin on FIELD_DEFINITION
directive @revokesCredentials on FIELD_DEFINITION
directive @projectScoped(argument: String!) on FIELD_DEFINITION
type Query {
  sign_in(code: String!): String @countsAsLogin
  workspace(workspace_id: String!): Workspace @projectScoped(argument: "workspace_id")
}
type Mutation { leave_workspace(workspace_id: String!): Boolean @revokesCredentials @projectScoped(argument: "workspace_id") }
type Workspace { id: String! login: String @countsAsLogin }`;

describe('readSecurityDirectives', () => {
  it('reads the directives of a composed supergraph, renamed or not', () => {
    const composed = composeSupergraph([{ name: 'workspaces', url: 'http://127.0.0.1:1/graphql', sdl: SDL }]);
    if (!composed.ok) throw new Error(composed.errors.join('\n'));
    const directives = readSecurityDirectives(parse(composed.supergraphSdl));
    expect([...directives.loginFields]).toEqual(['sign_in']);
    expect([...directives.revokingFields]).toEqual(['leave_workspace']);
    expect(directives.projectArgumentOf('Query', 'workspace')).toBe('workspace_id');
    expect(directives.projectArgumentOf('Mutation', 'leave_workspace')).toBe('workspace_id');
    expect(directives.projectArgumentOf('Query', 'sign_in')).toBeUndefined();
  });

  it('reads nothing from a supergraph that does not link the spec, whatever its directives are named', () => {
    const directives = readSecurityDirectives(
      parse('directive @loginAttempt on FIELD_DEFINITION type Query { login: String @loginAttempt }'),
    );
    expect(directives.loginFields.size).toBe(0);
  });
});

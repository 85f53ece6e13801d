import { describe, expect, it } from 'vitest';
import { readSupergraphPolicy } from '../gateway/pipeline/authorization/supergraph-policy.ts';
import { composeFromConfig } from '../gateway/supergraph/composition.ts';
import { readSupergraphConfig } from '../core/supergraph-config.ts';
import { readSecurityDirectives } from '../gateway/supergraph/security-directives.ts';
import { parse } from 'graphql';

/** The only fields anybody may use without credentials: the login steps of both seeds. */
const PUBLIC_ROOT_FIELDS = new Set(['send_email_otp', 'login_with_email_otp', 'login']);

describe('the composed supergraph of our subgraphs (supergraph.yaml)', async () => {
  const { supergraphSdl, apiSchema } = await composeFromConfig(readSupergraphConfig('supergraph.yaml', {}), async () => {
    throw new Error('supergraph.yaml reads every schema from a file');
  });
  const policy = readSupergraphPolicy(supergraphSdl);
  const rootFields = [apiSchema.getQueryType(), apiSchema.getMutationType(), apiSchema.getSubscriptionType()].flatMap((type) =>
    type ? Object.keys(type.getFields()).map((field) => [type.name, field] as const) : [],
  );

  it('declares @authenticated or @requiresScopes on every root field but the login steps', () => {
    expect(rootFields.length).toBeGreaterThan(10);
    const undeclared = rootFields.filter(([type, field]) => policy.ofField(type, field).length === 0).map(([, field]) => field);
    expect(undeclared.filter((field) => !PUBLIC_ROOT_FIELDS.has(field))).toEqual([]);
    expect(undeclared.sort()).toEqual(['login', 'login_with_email_otp', 'send_email_otp']);
  });

  const directives = readSecurityDirectives(parse(supergraphSdl));

  it('declares the login steps @loginAttempt, so that the login rate limit counts them', () => {
    expect([...directives.loginFields].sort()).toEqual(['login', 'login_with_email_otp', 'send_email_otp']);
  });

  it('declares @projectScoped on every field that takes a project_id, so that the gateway checks the role there', () => {
    const scoped = [apiSchema.getQueryType()!, apiSchema.getMutationType()!].flatMap((type) =>
      Object.values(type.getFields())
        .filter((field) => field.args.some((argument) => argument.name === 'project_id'))
        .map((field) => [type.name, field.name, directives.projectArgumentOf(type.name, field.name)]),
    );
    expect(scoped.length).toBeGreaterThan(5);
    expect(scoped.filter(([, , argument]) => argument !== 'project_id')).toEqual([]);
    expect(directives.projectArgumentOf('Query', 'get_project')).toBe('id');
  });

  it('declares @revokesCredentials on every mutation that changes what existing keys and tokens may do', () => {
    expect([...directives.revokingFields].sort()).toEqual([
      'add_project_member',
      'create_project',
      'delete_api_key',
      'logout',
      'remove_project_member',
      'update_api_key',
      'update_project_member',
    ]);
  });

  it('gives clients no _entities nor _service', () => {
    expect(rootFields.map(([, field]) => field)).not.toContain('_entities');
    expect(rootFields.map(([, field]) => field)).not.toContain('_service');
  });
});

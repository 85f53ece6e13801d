import { describe, expect, it } from 'vitest';
import { readSupergraphPolicy } from '../gateway/authorization/supergraph-policy.ts';
import { composeFromConfig } from '../gateway/composition.ts';
import { readSupergraphConfig } from '../gateway/supergraph-config.ts';

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

  it('gives clients no _entities nor _service', () => {
    expect(rootFields.map(([, field]) => field)).not.toContain('_entities');
    expect(rootFields.map(([, field]) => field)).not.toContain('_service');
  });
});

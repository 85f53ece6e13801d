import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { behavior, CREATE, distributionConfig, origin, startCdnPlatform, type CdnPlatform } from './helpers/cdn-platform.ts';
import { login } from './helpers/accounts-platform.ts';

let platform: CdnPlatform;
const PORT = 8080;

beforeAll(async () => {
  platform = await startCdnPlatform();
}, 60_000);
afterAll(() => platform?.stop());

async function create(config: Record<string, unknown>, key = platform.keys.ADMIN) {
  return platform.as(key, CREATE, { config, project: platform.projectId });
}

async function createOk(config: Record<string, unknown>) {
  const { body } = await create(config);
  expect(body.errors).toBeUndefined();
  return body.data.create_distribution;
}

function refusal(body: any) {
  expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  return { argumentName: body.errors[0].extensions.argumentName as string, message: body.errors[0].message as string };
}

describe('cdn control plane', () => {
  it('creates a distribution named d<id>.<CDN_DOMAIN>, InProgress, with an ARN', async () => {
    const distribution = await createOk(distributionConfig(PORT));
    expect(distribution.id).toMatch(/^E[A-Z0-9]{13}$/);
    expect(distribution.domain_name).toBe(`d${distribution.id.toLowerCase()}.cdn.test`);
    expect(distribution.arn).toBe(`arn:aws:cloudfront::${platform.projectId}:distribution/${distribution.id}`);
    expect(distribution.status).toBe('InProgress');
    const listed = await platform.ok(platform.keys.READONLY, 'query ($p: String!) { list_distributions(project_id: $p) { id } }', {
      p: platform.projectId,
    });
    expect(listed.list_distributions.map((d: any) => d.id)).toContain(distribution.id);
  });

  it('answers the first distribution again for a repeated caller_reference, and refuses it with another config', async () => {
    const first = await createOk(distributionConfig(PORT, { caller_reference: 'ref-1' }));
    const again = await createOk(distributionConfig(PORT, { caller_reference: 'ref-1' }));
    expect(again.id).toBe(first.id);
    const { body } = await create(distributionConfig(PORT, { caller_reference: 'ref-1', comment: 'other' }));
    expect(refusal(body).argumentName).toBe('config');
  });

  it.each([
    ['a behavior targeting no origin', { cache_behaviors: [behavior('*', 'missing')] }, /names no origin/],
    [
      'two behaviors with one path pattern',
      { cache_behaviors: [behavior('/a/*', 'main'), behavior('/a/*', 'main'), behavior('*', 'main')] },
      /used by two/,
    ],
    ['no default behavior', { cache_behaviors: [behavior('/a/*', 'main')] }, /default cache behavior/],
    ['an unknown cache policy', { cache_behaviors: [behavior('*', 'main', { cache_policy_id: 'nope' })] }, /cache_policy_id/],
    [
      'a method set CloudFront does not offer',
      { cache_behaviors: [behavior('*', 'main', { allowed_methods: { items: ['GET', 'POST'], cached_methods: ['GET', 'HEAD'] } })] },
      /allowed_methods/,
    ],
    ['two origins with one id', { origins: [origin('main', PORT), origin('main', PORT)] }, /used twice/],
    ['an origin_path ending in /', { origins: [origin('main', PORT, { origin_path: '/x/' })] }, /origin_path/],
    ['an alias without a certificate', { distribution_aliases: ['www.example.com'] }, /certificate_arn/],
    [
      'an error code CloudFront does not handle',
      { errorResponses: [{ error_code: 418, response_page_path: '/e.html', response_code: '200' }] },
      /error_code/,
    ],
  ])('refuses %s, naming the argument', async (_name, change, pattern) => {
    const { body } = await create(distributionConfig(PORT, change));
    const { argumentName, message } = refusal(body);
    expect(argumentName).toBe('config');
    expect(message).toMatch(pattern);
  });

  it('refuses removing an origin a behavior targets, and keeps * last when reordering', async () => {
    const config = distributionConfig(PORT, {
      origins: [origin('main', PORT), origin('images', PORT)],
      cache_behaviors: [behavior('*', 'main'), behavior('/images/*', 'images'), behavior('/api/*', 'main')],
    });
    const { id } = await createOk(config);
    const removal = await platform.as(
      platform.keys.ADMIN,
      'mutation ($id: String!) { remove_distribution_origin(origin: "images", distribution_id: $id) }',
      { id },
    );
    expect(refusal(removal.body)).toMatchObject({ argumentName: 'origin' });
    const listed = async () =>
      (
        await platform.ok(
          platform.keys.ADMIN,
          'query ($id: String!) { list_distribution_cache_behaviors(distribution_id: $id) { path_pattern } }',
          { id },
        )
      ).list_distribution_cache_behaviors.map((b: any) => b.path_pattern);
    expect(await listed()).toEqual(['/images/*', '/api/*', '*']);
    await platform.ok(
      platform.keys.DEVELOPER,
      'mutation ($id: String!) { update_distribution_cache_behaviors_order(path_patterns: ["/api/*", "/images/*"], distribution_id: $id) }',
      { id },
    );
    expect(await listed()).toEqual(['/api/*', '/images/*', '*']);
    const bad = await platform.as(
      platform.keys.ADMIN,
      'mutation ($id: String!) { update_distribution_cache_behaviors_order(path_patterns: ["/api/*"], distribution_id: $id) }',
      { id },
    );
    expect(refusal(bad.body).argumentName).toBe('path_patterns');
    const removeDefault = await platform.as(
      platform.keys.ADMIN,
      'mutation ($id: String!) { remove_distribution_cache_behavior(path_pattern: "*", distribution_id: $id) }',
      { id },
    );
    expect(refusal(removeDefault.body).argumentName).toBe('path_pattern');
  });

  it('lists the managed policies with their real TTLs and keys', async () => {
    const data = await platform.ok(
      platform.keys.FINANCE,
      `{ list_cache_policies { id config { name min_ttl default_ttl max_ttl query_strings { behavior } } }
      list_origin_request_policies { config { name } } list_response_header_policies { config { name response_headers { header_name } } } }`,
    );
    expect(data.list_cache_policies).toContainEqual({
      id: '658327ea-f89d-4fab-a63d-7e88639e58f6',
      config: { name: 'Managed-CachingOptimized', min_ttl: 1, default_ttl: 86400, max_ttl: 31536000, query_strings: { behavior: 'none' } },
    });
    expect(data.list_cache_policies).toContainEqual(
      expect.objectContaining({ id: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad', config: expect.objectContaining({ max_ttl: 0 }) }),
    );
    expect(data.list_origin_request_policies.map((p: any) => p.config.name)).toContain('Managed-AllViewer');
    expect(
      data.list_response_header_policies
        .find((p: any) => p.config.name === 'Managed-SecurityHeadersPolicy')
        .config.response_headers.map((h: any) => h.header_name),
    ).toContain('strict-transport-security');
  });

  it('lets READONLY and FINANCE read but not write, and hides other projects', async () => {
    const { id } = await createOk(distributionConfig(PORT));
    for (const role of ['READONLY', 'FINANCE'] as const) {
      const write = await create(distributionConfig(PORT), platform.keys[role]);
      expect(write.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      const read = await platform.ok(platform.keys[role], 'query ($id: String!) { get_distribution(distribution_id: $id) { id } }', { id });
      expect(read.get_distribution.id).toBe(id);
    }
    const outsider = await login(platform, 'cdn-outsider@example.com');
    // An ADMIN of a project of their own: the gateway lets the call through, the cdn subgraph must not.
    await platform.ok(outsider, 'mutation { create_project(name: "Elsewhere") { id } }');
    const other = await platform.as(outsider, 'query ($id: String!) { get_distribution(distribution_id: $id) { id } }', { id });
    expect(other.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const disable = await platform.as(
      outsider,
      'mutation ($id: String!) { enable_or_disable_distribution(enable: false, distribution_id: $id) }',
      { id },
    );
    expect(disable.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const intrude = await platform.as(outsider, CREATE, { config: distributionConfig(PORT), project: platform.projectId });
    expect(intrude.body.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND', argumentName: 'project_id' });
  });

  it('deletes only a disabled distribution', async () => {
    const { id } = await createOk(distributionConfig(PORT));
    const refused = await platform.as(platform.keys.ADMIN, 'mutation ($id: String!) { delete_distribution(distribution_id: $id) }', { id });
    expect(refusal(refused.body).argumentName).toBe('distribution_id');
    await platform.ok(
      platform.keys.ADMIN,
      'mutation ($id: String!) { enable_or_disable_distribution(enable: false, distribution_id: $id) }',
      { id },
    );
    expect(await platform.ok(platform.keys.ADMIN, 'mutation ($id: String!) { delete_distribution(distribution_id: $id) }', { id })).toEqual(
      { delete_distribution: true },
    );
  });
});

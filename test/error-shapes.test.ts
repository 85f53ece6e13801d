/**
 * An error the gateway makes on a field takes the shape of the subgraph owning it, read from a fixture
 * supergraph's join__field / join__type: Dalet's errorCode and classification, or Cognitive Cloud's code.
 */
import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { parseGatewayConfig } from '../gateway/config.ts';
import { findDenials } from '../gateway/pipeline/authorization/find-denials.ts';
import { readSupergraphPolicy } from '../gateway/pipeline/authorization/supergraph-policy.ts';
import { gatewayError, styleOfOwners, styleOfPayload } from '../gateway/pipeline/error-shapes.ts';
import { composeSupergraph } from '../gateway/supergraph/composition.ts';
import { readFieldOwners } from '../gateway/supergraph/field-owners.ts';
import { ANONYMOUS } from '../core/identity.ts';

const LINK =
  'extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key", "@authenticated", "@requiresScopes", "@shareable"])';
const FIXTURE = composeSupergraph([
  {
    name: 'dalet',
    url: 'http://127.0.0.1:1/graphql',
    sdl: `${LINK}
      type Query { asset(id: ID!): DaletAsset @authenticated  assets: [DaletAsset!]! @requiresScopes(scopes: [["ADMIN"]]) }
      type DaletAsset @key(fields: "id") { id: ID! title: String }
      type PageInfo @shareable { total: Int }`,
  },
  {
    name: 'billing',
    url: 'http://127.0.0.1:2/graphql',
    sdl: `${LINK}
      type Query { invoices: [String!]! @authenticated }
      type DaletAsset @key(fields: "id") { id: ID! price: Float @authenticated }
      type PageInfo @shareable { total: Int }`,
  },
]);
if (!FIXTURE.ok) throw new Error(FIXTURE.errors.join('\n'));
const supergraph = parse(FIXTURE.supergraphSdl);
const owners = readFieldOwners(supergraph);
const styles = parseGatewayConfig({}).errorStyles;

describe('field owners', () => {
  it('are read from join__field, else join__type, by subgraph name', () => {
    expect(owners.ofField('Query', 'asset')).toEqual(['dalet']);
    expect(owners.ofField('Query', 'invoices')).toEqual(['billing']);
    expect(owners.ofField('DaletAsset', 'price')).toEqual(['billing']);
    expect([...owners.ofField('PageInfo', 'total')].sort()).toEqual(['billing', 'dalet']);
    expect([...owners.ofType('DaletAsset')].sort()).toEqual(['billing', 'dalet']);
  });

  it('give Dalet style only where every owner is Dalet-style, by default the dalet subgraph only', () => {
    expect(styles).toEqual({ dalet: 'dalet' });
    expect(styleOfOwners(['dalet'], styles)).toBe('dalet');
    expect(styleOfOwners(['dalet', 'billing'], styles)).toBe('cognitive-cloud');
    expect(styleOfOwners([], styles)).toBe('cognitive-cloud');
    expect(styleOfOwners(['billing'], parseGatewayConfig({ ERROR_STYLES: 'billing=dalet' }).errorStyles)).toBe('dalet');
    expect(() => parseGatewayConfig({ ERROR_STYLES: 'billing=loud' })).toThrow(/ERROR_STYLES takes "subgraph=style"/);
  });
});

describe('errors the gateway makes', () => {
  it('are shaped by catalog: Dalet keeps only retryAfter of the extensions', () => {
    expect(gatewayError('dalet', 'UNAUTHENTICATED', 'no')).toEqual({
      message: 'no',
      extensions: { errorCode: 'AuthenticationError', classification: 'ExecutionAborted' },
    });
    expect(gatewayError('dalet', 'NOT_FOUND', 'no', { argumentName: 'id' }).extensions).toEqual({
      errorCode: 'ResourceDoesNotExist',
      classification: 'DataFetchingException',
    });
    expect(gatewayError('dalet', 'FORBIDDEN', 'no').extensions).toEqual({
      errorCode: 'NoAccessRightsException',
      classification: 'ValidationError',
    });
    expect(gatewayError('dalet', 'RATE_LIMITED', 'no', { retryAfter: 3 }).extensions).toEqual({
      errorCode: 'UnexpectedError',
      classification: 'ExecutionAborted',
      retryAfter: 3,
    });
    expect(gatewayError('cognitive-cloud', 'NOT_FOUND', 'no', { argumentName: 'id' }).extensions).toEqual({
      code: 'NOT_FOUND',
      argumentName: 'id',
    });
  });

  it('take, in the authorization walk, the shape of the subgraph owning each denied field', () => {
    const schema = FIXTURE.apiSchema;
    const policy = readSupergraphPolicy(FIXTURE.supergraphSdl);
    const styleOf = (typeName: string, fieldName?: string) =>
      styleOfOwners(fieldName ? owners.ofField(typeName, fieldName) : owners.ofType(typeName), styles);
    const document = parse('{ asset(id: "a1") { id title price } invoices }');
    const operation = document.definitions[0] as Parameters<typeof findDenials>[0]['operation'];
    const denials = findDenials({ schema, policy, principal: ANONYMOUS, document, operation, variables: {}, styleOf });
    expect(denials.map(({ path, extensions }) => ({ path, extensions }))).toEqual([
      { path: ['asset'], extensions: { errorCode: 'AuthenticationError', classification: 'ExecutionAborted' } },
      { path: ['asset', 'price'], extensions: { code: 'UNAUTHENTICATED' } },
      { path: ['invoices'], extensions: { code: 'UNAUTHENTICATED' } },
    ]);
  });

  it('take, for the whole request, the Dalet shape when every root field that runs is Dalet-style', () => {
    const style = (query: string, operationName?: string) => styleOfPayload({ query, operationName }, owners, styles);
    expect(style('{ asset(id: "a") { id } assets { id } }')).toBe('dalet');
    expect(style('query A { asset(id: "a") { id } } query B { invoices }', 'A')).toBe('dalet');
    expect(style('query A { asset(id: "a") { id } } query B { invoices }', 'B')).toBe('cognitive-cloud');
    expect(style('{ asset(id: "a") { id } invoices }')).toBe('cognitive-cloud');
    expect(style('{ ...F } fragment F on Query { assets { id } }')).toBe('dalet');
    expect(style('{ __typename }')).toBe('cognitive-cloud');
    expect(style('{ asset(')).toBe('cognitive-cloud');
    expect(styleOfPayload([{ query: '{ assets { id } }' }], owners, styles)).toBe('cognitive-cloud');
  });
});

/**
 * The supergraph is parsed once per reload: `readSupergraph` gives one document, and the routing URLs,
 * field owners and security directives the gateway's readers take from it, each made once.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readSupergraph } from '../gateway/supergraph/supergraph-document.ts';
import { parse } from 'graphql';
import { readRoutingUrls } from '../gateway/supergraph/subgraph-urls.ts';

const SDL = readFileSync(new URL('../supergraph.graphql', import.meta.url), 'utf8');

describe('readSupergraph', () => {
  it('reads what each reader needs from the one document', () => {
    const supergraph = readSupergraph(SDL);
    expect(supergraph.sdl).toBe(SDL);
    expect([...supergraph.routingUrls]).toEqual([...readRoutingUrls(parse(SDL))]);
    expect(supergraph.routingUrls.get('billing')).toBe('http://127.0.0.1:4003/graphql');
    expect(supergraph.fieldOwners.ofField('Project', 'current_spend')).toEqual(['billing']);
    expect(supergraph.fieldOwners.ofType('Project')).toEqual(expect.arrayContaining(['accounts', 'billing']));
    expect(supergraph.securityDirectives.projectArgumentOf('Query', 'list_project_invoices')).toBe('project_id');
  });

  it('makes each reading once, however often it is asked for', () => {
    const supergraph = readSupergraph(SDL);
    expect(supergraph.routingUrls).toBe(supergraph.routingUrls);
    expect(supergraph.fieldOwners).toBe(supergraph.fieldOwners);
    expect(supergraph.securityDirectives).toBe(supergraph.securityDirectives);
    expect(Object.isFrozen(supergraph)).toBe(true);
  });

  it('gives every reader of one reload the same reading, and a new one for a new supergraph', () => {
    expect(readSupergraph(SDL)).toBe(readSupergraph(SDL));
    const reloaded = readSupergraph(`${SDL}\n`);
    expect(reloaded).not.toBe(readSupergraph(SDL));
    expect(reloaded.sdl).toBe(`${SDL}\n`);
  });

  it('refuses SDL that does not parse, before any reader sees it', () => {
    expect(() => readSupergraph('type {')).toThrow(/Syntax Error/);
  });
});

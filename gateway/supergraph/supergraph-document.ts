/**
 * One supergraph as the gateway reads it: parsed once per reload, and what each reader takes from it
 * (routing URLs, field owners, security directives) computed once, on first use, from that one document.
 * Every reader of a reload (build-gateway.ts's, authentication, the issuers, authorization) asks
 * `readSupergraph` with the same SDL and gets the same reading: the last one is kept.
 */
import { parse, type DocumentNode } from 'graphql';
import { readFieldOwners, type FieldOwners } from './field-owners.ts';
import { readSecurityDirectives, type SecurityDirectives } from './security-directives.ts';
import { readRoutingUrls } from './subgraph-urls.ts';

export interface SupergraphDocument {
  readonly sdl: string;
  readonly document: DocumentNode;
  /** Each subgraph's name and routing URL, in the order the supergraph lists them. */
  readonly routingUrls: ReadonlyMap<string, string>;
  readonly fieldOwners: FieldOwners;
  readonly securityDirectives: SecurityDirectives;
}

let last: SupergraphDocument | undefined;

export function readSupergraph(sdl: string): SupergraphDocument {
  if (last?.sdl === sdl) return last;
  return (last = parseSupergraph(sdl));
}

function parseSupergraph(sdl: string): SupergraphDocument {
  const document = parse(sdl, { noLocation: true });
  const once = <T>(read: (document: DocumentNode) => T) => {
    let value: T | undefined;
    return () => (value ??= read(document));
  };
  const routingUrls = once(readRoutingUrls);
  const fieldOwners = once(readFieldOwners);
  const securityDirectives = once(readSecurityDirectives);
  return Object.freeze({
    sdl,
    document,
    get routingUrls() {
      return routingUrls();
    },
    get fieldOwners() {
      return fieldOwners();
    },
    get securityDirectives() {
      return securityDirectives();
    },
  });
}

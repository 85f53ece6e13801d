/**
 * One supergraph as the gateway reads it: parsed once per reload, and what each reader takes from it
 * (routing URLs, field owners, security directives) computed once, on first use, from that one document.
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

export function readSupergraph(sdl: string): SupergraphDocument {
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

/**
 * @apollo/gateway refuses a supergraph that links a feature `for: SECURITY` it does not enforce, and it
 * enforces neither @authenticated nor @requiresScopes. This gateway does (authorization/README.md), so
 * ApolloGateway is handed a copy of the supergraph whose links to exactly those two specs carry no
 * purpose. The directive applications stay in the copy untouched: the authorization plugin reads them
 * from the supergraph the gateway serves. Any other `for: SECURITY` feature (e.g. @policy) is left as it
 * is, so a supergraph needing a check we do not make is still refused rather than served unchecked.
 */
import { Kind, parse, print, visit, type ConstArgumentNode, type ConstDirectiveNode } from 'graphql';

/** The security specs this gateway enforces itself. */
export const GATEWAY_ENFORCED_SPECS = ['https://specs.apollo.dev/authenticated/', 'https://specs.apollo.dev/requiresScopes/'];

function argument(directive: ConstDirectiveNode, name: string): ConstArgumentNode | undefined {
  return directive.arguments?.find((node) => node.name.value === name);
}

function isGatewayEnforcedSecurityLink(directive: ConstDirectiveNode): boolean {
  const url = argument(directive, 'url')?.value;
  const purpose = argument(directive, 'for')?.value;
  return (
    directive.name.value === 'link' &&
    url?.kind === Kind.STRING &&
    GATEWAY_ENFORCED_SPECS.some((spec) => url.value.startsWith(spec)) &&
    purpose?.kind === Kind.ENUM &&
    purpose.value === 'SECURITY'
  );
}

/** The supergraph as ApolloGateway may load it; unchanged when it links neither spec for SECURITY. */
export function forApolloGateway(supergraphSdl: string): string {
  if (!/for:\s*SECURITY/.test(supergraphSdl)) return supergraphSdl;
  const document = parse(supergraphSdl);
  let changed = false;
  const stripped = visit(document, {
    Directive(directive) {
      if (!isGatewayEnforcedSecurityLink(directive as ConstDirectiveNode)) return undefined;
      changed = true;
      return { ...directive, arguments: directive.arguments?.filter((node) => node.name.value !== 'for') };
    },
  });
  return changed ? print(stripped) : supergraphSdl;
}

/**
 * How the gateway calls one subgraph: Apollo's RemoteGraphQLDataSource over our pooled fetcher, with the
 * caller's identity signed into headers (subgraphs/kit/identity.ts) and the request id passed along.
 */
import { RemoteGraphQLDataSource } from '@apollo/gateway';
import type { Fetcher } from '@apollo/utils.fetcher';
import { signIdentity, type Principal } from '../subgraphs/kit/identity.ts';

/** What the gateway knows of each request; built per request, never shared. */
export interface GatewayContext {
  principal: Principal;
  requestId: string;
}

export class SubgraphDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(url: string, fetcher: Fetcher, private readonly identitySecret: string) {
    super({ url, fetcher });
  }

  override willSendRequest({ request, context }: Parameters<NonNullable<RemoteGraphQLDataSource<GatewayContext>['willSendRequest']>>[0]) {
    // Health checks and schema fetches carry no request context: they are the gateway's own calls.
    const principal: Principal = context.principal ?? { kind: 'system' };
    for (const [name, value] of Object.entries(signIdentity(principal, this.identitySecret))) request.http!.headers.set(name, value);
    if (context.requestId) request.http!.headers.set('x-request-id', context.requestId);
  }
}

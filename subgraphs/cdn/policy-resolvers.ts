/** The managed policies (policies.ts), readable by anyone signed in, as CloudFront lists them to any account. */
import type { Resolvers } from './generated/resolvers-types.ts';
import { CACHE_POLICIES, ORIGIN_REQUEST_POLICIES, RESPONSE_HEADER_POLICIES } from './policies.ts';

export function policyResolvers(): Resolvers {
  return {
    Query: {
      list_cache_policies: () => CACHE_POLICIES,
      list_origin_request_policies: () => ORIGIN_REQUEST_POLICIES,
      list_response_header_policies: () => RESPONSE_HEADER_POLICIES,
    },
  };
}

export {
  createOutboundGuard,
  OutboundRefused,
  type OutboundGuard,
  type OutboundGuardOptions,
  type OutboundRefusalReason,
  type OutboundRequest,
  type OutboundResponse,
} from './outbound-guard.ts';
export { isAddressAllowed, parseAllowList, refusedRange } from './address-policy.ts';

/** Custom domain names: what may be added, and the DNS TXT record that proves the caller controls one. */
import { isIP } from 'node:net';
import { badUserInput } from '../../core/errors.ts';

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
const TOP_LABEL = /^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;
const MAX_DOMAIN_LENGTH = 253;
// Names that can never be proven on the public DNS, or that point at the machine itself.
const RESERVED_SUFFIXES = ['localhost', 'local', 'internal', 'invalid', 'home.arpa', 'in-addr.arpa', 'ip6.arpa'];

export const VERIFICATION_PREFIX = '_media-verification';

export function requireDomain(value: string): string {
  const domain = value.trim().toLowerCase().replace(/\.$/, '');
  const labels = domain.split('.');
  if (domain.length === 0 || domain.length > MAX_DOMAIN_LENGTH || isIP(domain) || labels.length < 2) {
    throw badUserInput('domain', 'must be a host name such as media.example.com');
  }
  if (!labels.every((label) => LABEL.test(label)) || !TOP_LABEL.test(labels.at(-1)!)) {
    throw badUserInput('domain', 'must be made of labels of letters, digits and inner hyphens, ending in a top-level domain');
  }
  if (RESERVED_SUFFIXES.some((suffix) => domain === suffix || domain.endsWith(`.${suffix}`))) {
    throw badUserInput('domain', 'is a reserved name that cannot be verified');
  }
  return domain;
}

export function verificationRecord(domain: string, token: string) {
  return { name: `${VERIFICATION_PREFIX}.${domain}`, value: `media-verification=${token}` };
}

/**
 * Which addresses a user-given URL may reach. Only public unicast addresses pass: loopback, private,
 * link-local (the cloud metadata service at 169.254.169.254 among them), carrier-grade NAT, multicast,
 * IPv6 unique-local and link-local, and every address that embeds an IPv4 one (mapped, NAT64, 6to4,
 * Teredo) are refused, so a URL cannot reach this machine or its network by any spelling.
 */
import ipaddr from 'ipaddr.js';

/** Lower-cased host names and addresses (as written, e.g. `127.0.0.1`, `::1`) that pass regardless. */
export type AllowList = ReadonlySet<string>;

export function parseAllowList(hosts: Iterable<string> | string | undefined): AllowList {
  const list = typeof hosts === 'string' ? hosts.split(',') : [...(hosts ?? [])];
  return new Set(list.map((host) => normalizeHost(host)).filter((host) => host !== ''));
}

/** `[::1]` → `::1`, `Example.COM.` → `example.com`. */
export function normalizeHost(host: string): string {
  return host
    .trim()
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1')
    .replace(/\.$/, '');
}

/** Why an address may not be reached, or undefined when it may. */
export function refusedRange(address: string): string | undefined {
  if (!ipaddr.isValid(address)) return 'not an IP address';
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  const range = parsed.range();
  return range === 'unicast' ? undefined : range;
}

export function isAddressAllowed(address: string, allowList: AllowList): boolean {
  if (allowList.has(normalizeHost(address))) return true;
  // The allow list may spell an address differently (::1 vs 0:0:0:0:0:0:0:1).
  if (ipaddr.isValid(address)) {
    const canonical = ipaddr.parse(address).toString();
    for (const entry of allowList) if (ipaddr.isValid(entry) && ipaddr.parse(entry).toString() === canonical) return true;
  }
  return refusedRange(address) === undefined;
}

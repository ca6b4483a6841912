/**
 * Which firewall source ranges are the internet. A range is public when any address in it is: a rule from
 * 0.0.0.0/1 and 128.0.0.0/1 admits the same hosts as one from 0.0.0.0/0, and 203.0.113.0/24 is as much the
 * internet as either.
 */
import { Address4, Address6 } from "ip-address";
import { FirewallProps } from "./ingress";

/**
 * Blocks no internet host sends from (RFC 6890's special-purpose registries): "this network", private,
 * shared (carrier-grade NAT), loopback, link-local, multicast and reserved; for IPv6 loopback, unique local,
 * link-local and multicast.
 */
const NON_PUBLIC = [
  "0.0.0.0/8",
  "10.0.0.0/8",
  "100.64.0.0/10",
  "127.0.0.0/8",
  "169.254.0.0/16",
  "172.16.0.0/12",
  "192.168.0.0/16",
  "224.0.0.0/4",
  "240.0.0.0/4",
  "::1/128",
  "fc00::/7",
  "fe80::/10",
  "ff00::/8",
];

/** Google's front ends and health checkers (the load balancer's proxies reach backends from these). */
export const GOOGLE_FRONT_END_RANGES = ["130.211.0.0/22", "35.191.0.0/16"];
/** The range IAP's TCP forwarding connects from (SSH and RDP through IAP). */
export const IAP_RANGE = "35.235.240.0/20";

type Address = Address4 | Address6;

/**
 * Parsed ranges by their text. ip-address validates by throwing and catching, which costs more than every
 * other check of a firewall rule; a stack repeats the same few ranges (and NON_PUBLIC is read on every
 * call), so each text is parsed once. Bounded, since check-policies reads arbitrary input.
 */
const parsed = new Map<string, Address | undefined>();

/** A CIDR range or single address, or undefined when it is neither. */
function parse(range: string): Address | undefined {
  if (parsed.has(range)) return parsed.get(range);
  const trimmed = range.trim();
  const address = Address4.isValid(trimmed)
    ? new Address4(trimmed)
    : Address6.isValid(trimmed)
      ? new Address6(trimmed)
      : undefined;
  if (parsed.size >= 10_000) parsed.clear();
  parsed.set(range, address);
  return address;
}

/** Whether every address of `range` lies in one of `blocks` (of the same IP version). */
export function isWithin(range: string, blocks: readonly string[]): boolean {
  const address = parse(range);
  if (!address) return false;
  return blocks.some((text) => {
    const block = parse(text);
    if (address instanceof Address4) return block instanceof Address4 && address.isInSubnet(block);
    return block instanceof Address6 && address.isInSubnet(block);
  });
}

/**
 * Whether a range holds an internet address. A range that is no valid address is not counted: the
 * Compute API refuses such a rule.
 */
export function isPublicRange(range: string): boolean {
  return parse(range) !== undefined && !isWithin(range, NON_PUBLIC);
}

export type IngressSources = Pick<FirewallProps, "sourceRanges" | "sourceTags" | "sourceServiceAccounts">;

/**
 * The internet sources of an ingress rule that `trusted` does not cover: its public source ranges, or
 * "0.0.0.0/0" when it names no source at all (which Compute Engine takes as the whole internet).
 */
export function publicSources(rule: IngressSources, trusted: readonly string[]): string[] {
  const sources = [rule.sourceRanges, rule.sourceTags, rule.sourceServiceAccounts];
  if (sources.every((s) => (s?.length ?? 0) === 0)) return ["0.0.0.0/0"];
  return (rule.sourceRanges ?? []).filter((range) => isPublicRange(range) && !isWithin(range, trusted));
}

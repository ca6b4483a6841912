/** IPv4 arithmetic and the simulated clouds' address allocation, all O(1) per call. */

export interface Cidr {
  /** First address of the range, as a 32-bit unsigned number. */
  readonly base: number;
  readonly prefixLength: number;
}

export function ipToNumber(ip: string): number {
  const parts = ip.split(".").map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) {
    throw new Error(`"${ip}" is not an IPv4 address.`);
  }
  return ((parts[0] << 24) | (parts[1] << 16) | (parts[2] << 8) | parts[3]) >>> 0;
}

export function numberToIp(value: number): string {
  return [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255].join(".");
}

/** Parses `a.b.c.d/n`, normalising the base to the start of the range; undefined when malformed. */
export function parseCidr(text: unknown): Cidr | undefined {
  if (typeof text !== "string") {
    return undefined;
  }
  const match = /^(\d+\.\d+\.\d+\.\d+)\/(\d+)$/.exec(text.trim());
  if (!match) {
    return undefined;
  }
  const prefixLength = Number(match[2]);
  if (prefixLength > 32) {
    return undefined;
  }
  try {
    return { base: (ipToNumber(match[1]) & prefixMask(prefixLength)) >>> 0, prefixLength };
  } catch {
    return undefined;
  }
}

export function prefixMask(prefixLength: number): number {
  return prefixLength === 0 ? 0 : (0xffffffff << (32 - prefixLength)) >>> 0;
}

export function cidrSize(cidr: Cidr): number {
  return 2 ** (32 - cidr.prefixLength);
}

export function cidrContains(cidr: Cidr, ip: string): boolean {
  return (ipToNumber(ip) & prefixMask(cidr.prefixLength)) >>> 0 === cidr.base;
}

/**
 * Hands out host addresses of one range the way GCP does: the lowest free one first, skipping the
 * addresses the cloud reserves at the start (`reservedAtStart`: network and gateway for a subnet) and the
 * last two. A key that asks again gets the address it already has, so a re-run of the same program in one
 * process sees the same addresses. When the range is full it starts over rather than failing: exhaustion
 * is not simulated.
 */
export class AddressPool {
  private next = 0;
  private readonly assigned = new Map<string, string>();

  constructor(
    readonly cidr: Cidr,
    private readonly reservedAtStart: number,
  ) {}

  allocate(key: string): string {
    const known = this.assigned.get(key);
    if (known !== undefined) {
      return known;
    }
    const usable = Math.max(1, cidrSize(this.cidr) - this.reservedAtStart - 2);
    const ip = numberToIp(this.cidr.base + this.reservedAtStart + (this.next % usable));
    this.next++;
    this.assigned.set(key, ip);
    return ip;
  }
}

/**
 * Pools registered under every name a program may use to refer to their owner (self-link, ID, short
 * name), so a later resource finds its subnet or peering range whichever form it was given.
 */
export class PoolRegistry {
  private readonly pools = new Map<string, AddressPool>();

  register(references: readonly string[], pool: AddressPool): void {
    for (const reference of references) {
      this.pools.set(reference, pool);
    }
  }

  find(reference: unknown): AddressPool | undefined {
    if (typeof reference !== "string" || reference === "") {
      return undefined;
    }
    return this.pools.get(reference) ?? this.pools.get(lastPathSegment(reference));
  }
}

/** `https://…/projects/p/global/networks/vpc` → `vpc`. */
export function lastPathSegment(reference: string): string {
  return reference.slice(reference.lastIndexOf("/") + 1);
}

/** The simulated clouds' address allocation over IPv4 ranges (parsed and printed by ip-address), O(1) per call. */
import { Address4 } from "ip-address";

export interface Cidr {
  /** First address of the range, as a 32-bit unsigned number. */
  readonly base: number;
  readonly prefixLength: number;
}

/** Parses `a.b.c.d/n`, normalising the base to the start of the range; undefined when malformed. */
export function parseCidr(text: unknown): Cidr | undefined {
  if (typeof text !== "string" || !/\/\d+$/.test(text.trim()) || !Address4.isValid(text.trim())) {
    return undefined;
  }
  const range = new Address4(text.trim());
  return { base: Number(range.startAddress().bigInt()), prefixLength: range.subnetMask };
}

export function numberToIp(value: number): string {
  return Address4.fromBigInt(BigInt(value)).address;
}

export function cidrSize(cidr: Cidr): number {
  return 2 ** (32 - cidr.prefixLength);
}

/**
 * Hands out host addresses of one range the way GCP does: the lowest free one first, skipping the
 * addresses the cloud reserves at the start (`reservedAtStart`: network, gateway and one more in a
 * private-services range) and the last two. A key that asks again gets the address it already has, so a
 * re-run of the same program in one process sees the same addresses. When the range is full it starts over
 * rather than failing: exhaustion is not simulated.
 */
export class AddressPool {
  private next = 0;
  private readonly assigned = new Map<string, string>();

  constructor(
    private readonly cidr: Cidr,
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

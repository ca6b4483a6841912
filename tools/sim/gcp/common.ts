import { Entropy, Naming, sha256Hex } from "../entropy";
import { gcpTimestamp } from "../time";
import { AddressPool, Cidr, cidrSize, parseCidr } from "../net";
import { Props, str } from "../values";

export const COMPUTE_API = "https://www.googleapis.com/compute/v1/";
export const SQL_API = "https://sqladmin.googleapis.com/sql/v1beta4/";

/** Everything a resource handler needs about the resource being created. */
export interface ResourceContext {
  readonly type: string;
  readonly logicalName: string;
  readonly inputs: Props;
  /** The project: the `project` input, else the provider's. */
  readonly project: string;
  /** The region: the `region` input, else the provider's. */
  readonly region: string;
  readonly naming: Naming;
  readonly entropy: Entropy;
  readonly now: Date;
  /** What this simulated cloud has seen: address ranges and their pools. */
  readonly cloud: CloudState;
}

/** A handler's answer: the ID and the properties the cloud adds (inputs are laid over them afterwards). */
export interface Computed {
  readonly id: string;
  readonly computed: Props;
}

export type ResourceHandler = (ctx: ResourceContext) => Computed | Promise<Computed>;

/** Who owns an address range in the simulated cloud: one resource of one project. */
export function ownerKey(ctx: ResourceContext): string {
  return `${ctx.type}|${ctx.project}|${nameOf(ctx)}`;
}

/** The resource's name; the caller has already filled in an autoname when the provider would. */
export function nameOf(ctx: ResourceContext): string {
  return str(ctx.inputs.name) ?? ctx.logicalName;
}

/** A stable 12-digit project number, derived from the project ID in both naming modes. */
export function projectNumber(project: string): string {
  const hex = sha256Hex(`project-number|${project}`);
  return String(100_000_000_000 + (parseInt(hex.slice(0, 12), 16) % 900_000_000_000));
}

const KNOWN_ZONE_SUFFIXES: Record<string, readonly string[]> = {
  "us-central1": ["a", "b", "c", "f"],
  "us-east1": ["b", "c", "d"],
  "europe-west1": ["b", "c", "d"],
  "asia-east1": ["a", "b", "c"],
};

/** The zones of a region, as the Compute API lists them. */
export function regionZones(region: string): string[] {
  return (KNOWN_ZONE_SUFFIXES[region] ?? ["a", "b", "c"]).map((suffix) => `${region}-${suffix}`);
}

/** `https://…/projects/p/global/networks/vpc`, `projects/p/…` or `vpc` → `projects/p/global/networks/vpc`. */
export function networkPath(reference: string, project: string): string {
  const at = reference.indexOf("projects/");
  return at >= 0 ? reference.slice(at) : `projects/${project}/global/networks/${reference}`;
}

/** `https://…/projects/p/regions/r/routers/rtr` → `rtr`. */
export function lastPathSegment(reference: string): string {
  return reference.slice(reference.lastIndexOf("/") + 1);
}

/** A number below 2^53, so it survives JSON and JavaScript intact. */
export function safeNumericId(entropy: Entropy, label: string): number {
  return Number(entropy.digits(15, label));
}

/** A public IPv4 address in one of Google's ranges (34.x or 35.x). */
export function publicIpv4(entropy: Entropy, label: string): string {
  const octets = [
    34 + entropy.int(2, `${label}/0`),
    entropy.int(256, `${label}/1`),
    entropy.int(256, `${label}/2`),
  ];
  return [...octets, 1 + entropy.int(254, `${label}/3`)].join(".");
}

/** The empty-labels fingerprint the Compute API returns. */
export const EMPTY_LABEL_FINGERPRINT = "42WmSpB8rSM=";

/**
 * What the simulated cloud remembers between calls, so later resources see earlier ones: the address
 * ranges in use, and the private-services ranges Cloud SQL takes private IPs from. Every lookup is a map
 * access.
 */
export class CloudState {
  /** The pools of private-services ranges, by the path of their network (see networkPath). */
  readonly peeringPools = new Map<string, AddressPool>();
  /** Where Cloud SQL's private IPs come from when the simulator saw no range for their network. */
  readonly fallbackPeeringPool = new AddressPool(parseCidr("10.91.0.0/24")!, 3);
  /** Address ranges in use, by owner (subnet or reserved range), so a re-run reuses rather than piles up. */
  private readonly claimed = new Map<string, Cidr>();

  /**
   * Picks a free RFC 1918 range of the given prefix length in 10.0.0.0/8 that overlaps no subnet or range
   * seen so far, starting from a hash of the owner so the choice is stable; the same owner asking again
   * gets the same range.
   */
  reservePrivateRange(owner: string, prefixLength: number, entropy: Entropy): Cidr {
    const length = Math.min(Math.max(prefixLength, 8), 29);
    const previous = this.claimed.get(owner);
    if (previous?.prefixLength === length) {
      return previous;
    }
    this.claimed.delete(owner);
    const blockSize = 2 ** (32 - length);
    const blocks = 2 ** (length - 8);
    const start = entropy.int(blocks, "range");
    const taken = [...this.claimed.values()];
    for (let i = 0; i < Math.min(blocks, 4096); i++) {
      const base = (10 * 2 ** 24 + ((start + i) % blocks) * blockSize) >>> 0;
      const candidate: Cidr = { base, prefixLength: length };
      if (!taken.some((range) => overlaps(range, candidate))) {
        this.claimed.set(owner, candidate);
        return candidate;
      }
    }
    return { base: (10 * 2 ** 24 + start * blockSize) >>> 0, prefixLength: length };
  }

  claim(owner: string, cidr: Cidr): void {
    this.claimed.set(owner, cidr);
  }
}

function overlaps(a: Cidr, b: Cidr): boolean {
  return a.base < b.base + cidrSize(b) && b.base < a.base + cidrSize(a);
}

/**
 * A Compute Engine resource, global or (`regional`) in the resource's region: its ID, self-link, name,
 * project (and region) and creation time, plus `extra`.
 */
export function computeResource(
  ctx: ResourceContext,
  collection: string,
  extra: Props,
  regional = false,
): Computed {
  const name = nameOf(ctx);
  const id = `projects/${ctx.project}/${regional ? `regions/${ctx.region}` : "global"}/${collection}/${name}`;
  const region = regional ? { region: ctx.region } : {};
  const common = { name, project: ctx.project, ...region, selfLink: COMPUTE_API + id };
  return { id, computed: { ...common, creationTimestamp: gcpTimestamp(ctx.now), ...extra } };
}

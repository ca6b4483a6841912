/**
 * An index over a stack's resources for stack policies: by type, by URN, and by the names a reference
 * can use (a self-link, a resource ID, a bare name), built once per stack so that policies never scan the
 * whole stack per resource.
 *
 * A reference is followed through its string when it is known (a self-link such as
 * `https://www.googleapis.com/compute/v1/projects/p/zones/z/instances/web-0`, an ID such as
 * `projects/p/zones/z/instances/web-0`, or a name); when it is unknown during preview, or names nothing in
 * the stack, through the resource's dependencies of the expected types, which the engine always knows.
 *
 * Stack policies read what may be unknown during preview through `known` (see unknowns.ts), and so does the
 * index: a resource whose self-link is not known yet is still found by its name and its dependencies.
 */
import { PolicyResource } from "@pulumi/policy";
import { Resource } from "@pulumi/pulumi";
import * as q from "@pulumi/pulumi/queryable";
import { known, NOT_KNOWN } from "./unknowns";

/** A @pulumi/gcp resource class, as @pulumi/policy's `asType` takes it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the signature of @pulumi/policy's own asType
export type ResourceClass<TResource extends Resource> = new (...rest: any[]) => TResource;

/** The outputs of a resource class, resolved, as stack policies read them. */
export type OutputsOf<TResource extends Resource> = q.ResolvedResource<TResource>;

/**
 * A resource's properties (its outputs, in a stack policy) typed as `resourceClass`'s. The class gives the
 * types only: a regional sibling (RegionBackendService for BackendService, say) shares the fields the
 * policies read under the same names. Reading a value unknown during preview throws the SDK's
 * UnknownValueError.
 */
export function propsAs<TResource extends Resource>(
  resource: PolicyResource,
  resourceClass: ResourceClass<TResource>,
): OutputsOf<TResource> {
  void resourceClass;
  return resource.props as OutputsOf<TResource>;
}

/** A string read that may be unknown during preview, or absent: undefined unless it is a known string. */
function knownText(read: () => unknown): string | undefined {
  const value = known(read);
  return typeof value === "string" ? value : undefined;
}

export interface ParsedRef {
  /** The last path segment: the referenced resource's name. */
  name: string;
  /** The segment before the name (`instances`, `networks`, ...), when the reference is a path. */
  collection?: string;
  zone?: string;
  region?: string;
}

/** Splits a self-link, a resource ID or a bare name into its parts. */
export function parseRef(ref: string): ParsedRef {
  const parts = ref
    .trim()
    .replace(/[?#].*$/, "")
    .split("/")
    .filter((p) => p !== "");
  const parsed: ParsedRef = { name: parts[parts.length - 1] ?? "" };
  if (parts.length >= 2) parsed.collection = parts[parts.length - 2];
  const zoneAt = parts.lastIndexOf("zones");
  if (zoneAt >= 0 && zoneAt + 1 < parts.length - 1) parsed.zone = parts[zoneAt + 1];
  const regionAt = parts.lastIndexOf("regions");
  if (regionAt >= 0 && regionAt + 1 < parts.length - 1) parsed.region = parts[regionAt + 1];
  return parsed;
}

/** The outcome of following a reference property. */
export interface Resolution {
  /** Resources of the expected types the property refers to. */
  found: PolicyResource[];
  /** Known reference strings that name nothing in the stack (for example the project's `default` network). */
  external: string[];
  /** True when some reference could not be followed because its value is unknown during preview. */
  unknown: boolean;
}

const indexes = new WeakMap<readonly PolicyResource[], StackIndex>();

export class StackIndex {
  private readonly byType = new Map<string, PolicyResource[]>();
  private readonly byUrn = new Map<string, PolicyResource>();
  private readonly byTypeAndName = new Map<string, PolicyResource[]>();

  /** The index of a stack, built on first use and shared by every policy that gets the same resource list. */
  static of(resources: readonly PolicyResource[]): StackIndex {
    let index = indexes.get(resources);
    if (!index) {
      index = new StackIndex(resources);
      indexes.set(resources, index);
    }
    return index;
  }

  private constructor(resources: readonly PolicyResource[]) {
    for (const resource of resources) {
      this.byUrn.set(resource.urn, resource);
      let ofType = this.byType.get(resource.type);
      if (!ofType) this.byType.set(resource.type, (ofType = []));
      ofType.push(resource);
      for (const name of identifyingNames(resource)) {
        const key = `${resource.type}\u0000${name}`;
        const named = this.byTypeAndName.get(key);
        if (!named) this.byTypeAndName.set(key, [resource]);
        else if (!named.includes(resource)) named.push(resource);
      }
    }
  }

  ofType(...types: readonly string[]): PolicyResource[] {
    if (types.length === 1) return this.byType.get(types[0]) ?? [];
    return types.flatMap((t) => this.byType.get(t) ?? []);
  }

  has(...types: readonly string[]): boolean {
    return types.some((t) => (this.byType.get(t)?.length ?? 0) > 0);
  }

  byUrnOf(urn: string): PolicyResource | undefined {
    return this.byUrn.get(urn);
  }

  /** The zone a zonal resource lives in, from its `zone` property or its self-link; undefined if unknown. */
  zoneOf(resource: PolicyResource): string | undefined {
    const props = resource.props;
    const zone = knownText(() => props.zone);
    if (zone !== undefined) return parseRef(zone).name;
    const selfLink = knownText(() => props.selfLink) ?? knownText(() => props.id);
    return selfLink !== undefined ? parseRef(selfLink).zone : undefined;
  }

  /**
   * Follows the references `read` returns (one reference or a list; it may read values unknown during
   * preview) held by `from`'s property `prop`, to resources of the given types.
   */
  resolve(from: PolicyResource, prop: string, read: () => unknown, types: readonly string[]): Resolution {
    const found: PolicyResource[] = [];
    let external: string[] = [];
    let unknown = false;
    const value = known(read);
    if (value === NOT_KNOWN) unknown = true;
    else {
      const values: readonly unknown[] = Array.isArray(value)
        ? value
        : value === undefined || value === null
          ? []
          : [value];
      for (let i = 0; i < values.length; i++) {
        const ref = known(() => values[i]);
        if (ref === NOT_KNOWN) unknown = true;
        if (typeof ref !== "string") continue;
        const target = this.lookup(ref, types);
        if (target) {
          if (!found.includes(target)) found.push(target);
        } else external.push(ref);
      }
    }
    // Also when the property is absent: a reference may be given only as a dependency (check-policies input).
    if (unknown || external.length > 0 || value === undefined || value === null) {
      const fromDeps = this.dependenciesOfType(from, prop, types).filter((d) => !found.includes(d));
      if (fromDeps.length > 0) {
        found.push(...fromDeps);
        unknown = false;
        external = [];
      }
    }
    return { found, external, unknown };
  }

  private lookup(ref: string, types: readonly string[]): PolicyResource | undefined {
    const parsed = parseRef(ref);
    for (const type of types) {
      const candidates = this.byTypeAndName.get(`${type}\u0000${parsed.name}`);
      if (!candidates) continue;
      for (const candidate of candidates) {
        if (parsed.zone !== undefined) {
          const zone = this.zoneOf(candidate);
          if (zone !== undefined && zone !== parsed.zone) continue;
        }
        return candidate;
      }
    }
    return undefined;
  }

  private dependenciesOfType(from: PolicyResource, prop: string, types: readonly string[]): PolicyResource[] {
    const byProperty = from.propertyDependencies?.[prop] ?? [];
    const pick = (deps: readonly PolicyResource[]) => deps.filter((d) => types.includes(d.type));
    const picked = pick(byProperty);
    return picked.length > 0 ? picked : pick(from.dependencies ?? []);
  }
}

/** The names other resources may use to refer to a resource: its Pulumi name, its `name`, self-link and ID. */
function identifyingNames(resource: PolicyResource): string[] {
  const names = [resource.name];
  for (const key of ["name", "selfLink", "id", "selfLinkUnique"]) {
    const value = knownText(() => resource.props[key]);
    if (value !== undefined && value !== "") {
      const name = parseRef(value).name;
      if (!names.includes(name)) names.push(name);
    }
  }
  return names;
}

/**
 * The Compute API refuses to delete a resource another resource still uses, with
 * `Error 400: The <kind> resource '<path>' is already being used by '<user path>', resourceInUseByAnotherResource`
 * (for example an instance template a managed instance group still uses: hashicorp/terraform-provider-google
 * #6277; a network a firewall rule is on: #5423). The emulator keeps, for each live resource, the Compute
 * paths it refers to, and refuses a delete the same way, so the suite proves Pulumi deletes in an order the
 * real API accepts.
 */
import type { JournalEntry } from "../lib/emulatedCloud";

type Props = Record<string, unknown>;

const computeApiPrefix = /^https:\/\/(www|compute)\.googleapis\.com\/compute\/(v1|beta)\//;

/** A Compute reference (self-link or relative path) as its relative path, or undefined for anything else. */
function computePath(reference: string): string | undefined {
  const relative = reference.replace(computeApiPrefix, "").replace(/[?#].*$/, "");
  return /^projects\/[^/]+\/(global|regions\/[^/]+|zones\/[^/]+)\/[A-Za-z]+\/[^/]+$/.test(relative)
    ? relative
    : undefined;
}

/**
 * Resources whose references do not hold what they name: an instance template is a description of VMs to
 * come, and Compute Engine lets the subnetwork or image it names go (the VMs made from it later fail).
 */
const NON_BLOCKING_USERS = new Set(["gcp:compute/instanceTemplate:InstanceTemplate"]);

/** Every Compute path in a resource's inputs: what it uses and so keeps from being deleted. */
function referencesOf(type: string, inputs: Props): string[] {
  if (NON_BLOCKING_USERS.has(type)) return [];
  const found = new Set<string>(peeredRanges(type, inputs));
  const visit = (value: unknown): void => {
    if (typeof value === "string") {
      const path = computePath(value);
      if (path) found.add(path);
    } else if (Array.isArray(value)) {
      value.forEach(visit);
    } else if (value !== null && typeof value === "object") {
      Object.values(value).forEach(visit);
    }
  };
  visit(inputs);
  return [...found];
}

/**
 * A private services connection names its reserved ranges by name only; they are global addresses of the
 * network's project, which the peering holds.
 */
function peeredRanges(type: string, inputs: Props): string[] {
  if (type !== "gcp:servicenetworking/connection:Connection") return [];
  const { network, reservedPeeringRanges } = inputs;
  const project = typeof network === "string" ? /projects\/([^/]+)\//.exec(network)?.[1] : undefined;
  if (!project || !Array.isArray(reservedPeeringRanges)) return [];
  return reservedPeeringRanges
    .filter((range): range is string => typeof range === "string")
    .map((range) => computePath(range) ?? `projects/${project}/global/addresses/${range}`);
}

/**
 * The paths other resources may use to name this one: its ID and self-link, and for a managed instance
 * group the instance group it manages (which backend services name).
 */
function identitiesOf(id: string, outputs: Props): string[] {
  const paths = [id, outputs.selfLink, outputs.instanceGroup].map((value) =>
    typeof value === "string" ? computePath(value) : undefined,
  );
  return [...new Set(paths.filter((path) => path !== undefined))];
}

/** What the journal keeps of a resource it creates or updates: the paths that name it, and those it uses. */
export function pathsOf(type: string, id: string, outputs: Props, inputs: Props) {
  return { identities: identitiesOf(id, outputs), references: referencesOf(type, inputs) };
}

/** `instanceTemplates` → `instance_template`, as the API names a kind in its messages. */
function kindOf(path: string): string {
  const collection = path.split("/").slice(-2)[0];
  const singulars: Record<string, string> = { ies: "y", sses: "ss", s: "" };
  const singular = collection.replace(/(ies|sses|s)$/, (end) => singulars[end]);
  return singular.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

type LiveResource = Pick<JournalEntry, "id" | "identities" | "references">;

/** The error the Compute API gives when `target` is still used by one of `live`; undefined when it is not. */
export function inUseError(target: LiveResource, live: readonly LiveResource[]): Error | undefined {
  for (const identity of target.identities ?? []) {
    const user = live.find((other) => other.id !== target.id && other.references?.includes(identity));
    if (user) {
      const userPath = user.identities?.[0] ?? user.id;
      return new Error(
        `googleapi: Error 400: The ${kindOf(identity)} resource '${identity}' is already being used by ` +
          `'${userPath}', resourceInUseByAnotherResource`,
      );
    }
  }
  return undefined;
}

import * as gcp from "@pulumi/gcp";
import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { propsAs, StackIndex } from "../lib/stack";
import { T } from "../lib/types";
import { known, NOT_KNOWN } from "../lib/unknowns";
import { quote } from "../lib/values";
import { isReplica } from "../lib/cloudsql";

const instanceProps = (instance: PolicyResource) => propsAs(instance, gcp.sql.DatabaseInstance);

/** Whether an instance is a replica; a masterInstanceName not known yet names a primary not created yet. */
const replica = (instance: PolicyResource) => known(() => isReplica(instanceProps(instance))) !== false;

export interface ReplicaConfig {
  minReplicas: number;
}

/** The names a replica's masterInstanceName may use for a primary: its name, or "project:name". */
function primaryNames(primary: PolicyResource): string[] {
  const name = known(() => instanceProps(primary).name);
  return name !== NOT_KNOWN ? [primary.name, name] : [primary.name];
}

export const cloudSqlPrimaryRequiresReadReplica: StackValidationPolicy = {
  name: "gcp-cloudsql-primary-requires-read-replica",
  severity: "medium",
  remediationSteps:
    "Add a DatabaseInstance whose masterInstanceName is the primary, in another zone of the region.",
  url: "https://cloud.google.com/sql/docs/mysql/replication",
  description:
    "No single MySQL writer: every primary Cloud SQL instance has at least one read replica, so reads survive the primary and there is a copy to promote.",
  configSchema: {
    properties: {
      minReplicas: {
        type: "integer",
        minimum: 0,
        default: 1,
        description: "The fewest read replicas each primary must have.",
      },
    },
  },
  validateStack: (args, report) => {
    const index = StackIndex.of(args.resources);
    const instances = index.ofType(T.databaseInstance);
    const primaries = instances.filter((i) => !replica(i));
    if (primaries.length === 0) args.notApplicable("The stack has no Cloud SQL primary.");
    const { minReplicas } = args.getConfig<ReplicaConfig>();

    const replicasOf = new Map<PolicyResource, number>(primaries.map((p) => [p, 0]));
    const byName = new Map<string, PolicyResource>();
    for (const primary of primaries) {
      for (const name of primaryNames(primary)) byName.set(name, primary);
    }
    let unattributed = 0;
    for (const instance of instances) {
      if (!replica(instance)) continue;
      const master = known(() => instanceProps(instance).masterInstanceName);
      let primary = typeof master === "string" ? byName.get(master.split(":").pop() ?? master) : undefined;
      if (!primary) {
        primary = index
          .resolve(instance, "masterInstanceName", () => undefined, [T.databaseInstance])
          .found.find((d) => replicasOf.has(d));
      }
      if (primary) replicasOf.set(primary, (replicasOf.get(primary) ?? 0) + 1);
      else if (typeof master !== "string") unattributed++;
    }

    for (const [primary, count] of replicasOf) {
      if (count >= minReplicas || count + unattributed >= minReplicas) continue;
      report(
        `Cloud SQL primary ${quote(primary.name)} has ${count} read replica${count === 1 ? "" : "s"} (at least ${minReplicas} required); ` +
          "add a DatabaseInstance with masterInstanceName set to this primary, in another zone.",
        primary.urn,
      );
    }
  },
};

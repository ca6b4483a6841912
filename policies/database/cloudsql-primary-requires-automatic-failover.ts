import * as gcp from "@pulumi/gcp";
import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { quote } from "../lib/values";
import { isReplica } from "../lib/cloudsql";

export const cloudSqlPrimaryRequiresAutomaticFailover: ResourceValidationPolicy = {
  name: "gcp-cloudsql-primary-requires-automatic-failover",
  severity: "high",
  remediationSteps:
    "Set settings.availabilityType: REGIONAL on the primary, with backups and binary logging on.",
  url: "https://cloud.google.com/sql/docs/mysql/high-availability",
  description:
    "No single MySQL writer: every primary Cloud SQL instance is regional, with a standby in another zone that takes over writes automatically.",
  validateResource: validateResourceOfType(gcp.sql.DatabaseInstance, (instance, args, report) => {
    if (isReplica(instance)) return;
    const availability = instance.settings?.availabilityType?.toUpperCase();

    if (availability === "REGIONAL") return;
    const shown =
      availability === undefined
        ? "no availability type, which means ZONAL"
        : `availability type ${availability}`;
    report(
      `Cloud SQL primary ${quote(args.name)} has ${shown}: it is the only instance that accepts writes and has no standby to fail over to; ` +
        'set settings.availabilityType to "REGIONAL".',
    );
  }),
};

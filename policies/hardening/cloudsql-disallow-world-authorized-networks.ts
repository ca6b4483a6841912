import * as gcp from "@pulumi/gcp";
import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { roleOf } from "../lib/cloudsql";
import { isWorldRange } from "../lib/network";
import { quote } from "../lib/values";

export const cloudSqlDisallowWorldAuthorizedNetworks: ResourceValidationPolicy = {
  name: "gcp-cloudsql-disallow-world-authorized-networks",
  severity: "critical",
  remediationSteps:
    "Remove 0.0.0.0/0 from settings.ipConfiguration.authorizedNetworks; connect over private IP or through the Cloud SQL Auth Proxy.",
  url: "https://cloud.google.com/sql/docs/mysql/authorize-networks",
  description:
    "Hardening: no Cloud SQL instance, primary or replica, authorizes the whole internet (0.0.0.0/0) to connect.",
  validateResource: validateResourceOfType(gcp.sql.DatabaseInstance, (instance, args, report) => {
    const world = (instance.settings?.ipConfiguration?.authorizedNetworks ?? [])
      .map((network) => network.value)
      .filter(isWorldRange);
    if (world.length === 0) return;
    report(
      `Cloud SQL ${roleOf(instance)} ${quote(args.name)} authorizes connections from anywhere (${world.join(", ")}); ` +
        "remove that entry from settings.ipConfiguration.authorizedNetworks and connect over private IP.",
    );
  }),
};

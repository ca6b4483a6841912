import * as gcp from "@pulumi/gcp";
import { ResourceValidationPolicy } from "@pulumi/policy";
import { isReplica, settingsOf } from "../lib/cloudsql";
import { isWorldRange } from "../lib/network";
import { checkResource } from "../lib/policy";
import { list, quote, record, text } from "../lib/values";

export const cloudSqlDisallowWorldAuthorizedNetworks: ResourceValidationPolicy = {
  name: "gcp-cloudsql-disallow-world-authorized-networks",
  severity: "critical",
  remediationSteps:
    "Remove 0.0.0.0/0 from settings.ipConfiguration.authorizedNetworks; connect over private IP or through the Cloud SQL Auth Proxy.",
  url: "https://cloud.google.com/sql/docs/mysql/authorize-networks",
  description:
    "Hardening: no Cloud SQL instance, primary or replica, authorizes the whole internet (0.0.0.0/0) to connect.",
  validateResource: checkResource(gcp.sql.DatabaseInstance, (instance, args, report) => {
    const ipConfiguration = record<gcp.types.input.sql.DatabaseInstanceSettingsIpConfiguration>(
      settingsOf(instance)?.ipConfiguration,
    );
    const world = (list(ipConfiguration?.authorizedNetworks) ?? [])
      .map((network) => text(record(network)?.value))
      .filter((value): value is string => value !== undefined && isWorldRange(value));
    if (world.length === 0) return;
    report(
      `Cloud SQL ${isReplica(instance) ? "replica" : "primary"} ${quote(args.name)} authorizes connections from anywhere (${world.join(", ")}); ` +
        "remove that entry from settings.ipConfiguration.authorizedNetworks and connect over private IP.",
    );
  }),
};

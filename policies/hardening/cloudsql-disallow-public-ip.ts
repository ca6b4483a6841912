import * as gcp from "@pulumi/gcp";
import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { roleOf } from "../lib/cloudsql";
import { isAbsent, quote } from "../lib/values";

export const cloudSqlDisallowPublicIp: ResourceValidationPolicy = {
  name: "gcp-cloudsql-disallow-public-ip",
  severity: "high",
  remediationSteps:
    "Set settings.ipConfiguration.ipv4Enabled: false and privateNetwork to the stack's VPC, which needs a private services access connection.",
  url: "https://cloud.google.com/sql/docs/mysql/private-ip",
  description:
    "Hardening: Cloud SQL instances, primaries and replicas alike, have no public IPv4 address and are reached over private IP from the VPC only.",
  validateResource: validateResourceOfType(gcp.sql.DatabaseInstance, (instance, args, report) => {
    const ipv4Enabled = instance.settings?.ipConfiguration?.ipv4Enabled;
    if (ipv4Enabled === false) return;
    const why = isAbsent(ipv4Enabled) ? " (ipv4Enabled is unset, which means true)" : "";
    report(
      `Cloud SQL ${roleOf(instance)} ${quote(args.name)} has a public IP address${why}; ` +
        "set settings.ipConfiguration.ipv4Enabled to false and give it a privateNetwork.",
    );
  }),
};

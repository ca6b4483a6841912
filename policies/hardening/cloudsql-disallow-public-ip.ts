import * as gcp from "@pulumi/gcp";
import { ResourceValidationPolicy } from "@pulumi/policy";
import { isReplica, settingsOf, settingUnknown } from "../lib/cloudsql";
import { checkResource } from "../lib/policy";
import { flag, isAbsent, quote, record } from "../lib/values";

export const cloudSqlDisallowPublicIp: ResourceValidationPolicy = {
  name: "gcp-cloudsql-disallow-public-ip",
  severity: "high",
  remediationSteps:
    "Set settings.ipConfiguration.ipv4Enabled: false and privateNetwork to the stack's VPC, which needs a private services access connection.",
  url: "https://cloud.google.com/sql/docs/mysql/private-ip",
  description:
    "Hardening: Cloud SQL instances, primaries and replicas alike, have no public IPv4 address and are reached over private IP from the VPC only.",
  validateResource: checkResource(gcp.sql.DatabaseInstance, (instance, args, report) => {
    if (settingUnknown(instance, "ipConfiguration", "ipv4Enabled")) return;
    const ipConfiguration = record<gcp.types.input.sql.DatabaseInstanceSettingsIpConfiguration>(
      settingsOf(instance)?.ipConfiguration,
    );
    if (flag(ipConfiguration?.ipv4Enabled) === false) return;
    const kind = isReplica(instance) ? "replica" : "primary";
    const why = isAbsent(ipConfiguration?.ipv4Enabled) ? " (ipv4Enabled is unset, which means true)" : "";
    report(
      `Cloud SQL ${kind} ${quote(args.name)} has a public IP address${why}; ` +
        "set settings.ipConfiguration.ipv4Enabled to false and give it a privateNetwork.",
    );
  }),
};

import * as gcp from "@pulumi/gcp";
import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { roleOf } from "../lib/cloudsql";
import { joinWords, quote } from "../lib/values";

export const cloudSqlRequiresDeletionProtection: ResourceValidationPolicy = {
  name: "gcp-cloudsql-requires-deletion-protection",
  severity: "medium",
  remediationSteps:
    "Set deletionProtection: true and settings.deletionProtectionEnabled: true; turn both off in a change of its own before deleting the instance on purpose.",
  url: "https://cloud.google.com/sql/docs/mysql/deletion-protection",
  description:
    "No single MySQL writer: failover guards against a lost server, not a deleted one. Every Cloud SQL instance is " +
    "protected from deletion twice: by the provider (deletionProtection, which stops pulumi destroy and replacements) " +
    "and by the Cloud SQL API (settings.deletionProtectionEnabled, which stops the console and gcloud too).",
  validateResource: validateResourceOfType(gcp.sql.DatabaseInstance, (instance, args, report) => {
    const missing: string[] = [];
    // The provider's deletionProtection defaults to true; the API's flag to false.
    if (instance.deletionProtection === false) missing.push("deletionProtection");
    if (instance.settings?.deletionProtectionEnabled !== true)
      missing.push("settings.deletionProtectionEnabled");
    if (missing.length === 0) return;
    report(
      `Cloud SQL ${roleOf(instance)} ${quote(args.name)} can be deleted: set ` +
        `${joinWords(missing)} to true.`,
    );
  }),
};

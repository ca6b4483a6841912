import * as gcp from "@pulumi/gcp";
import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { engineOf, roleOf } from "../lib/cloudsql";
import { quote } from "../lib/values";

export interface SupportedVersionConfig {
  minimumMysqlVersion: string;
}

/** "MYSQL_8_0_41" → [8, 0], "8.4" → [8, 4]; undefined for anything else. */
function majorMinor(version: string): [number, number] | undefined {
  const match = /^(?:MYSQL_)?(\d+)[._](\d+)/i.exec(version.trim());
  return match ? [Number(match[1]), Number(match[2])] : undefined;
}

export const cloudSqlRequiresSupportedVersion: ResourceValidationPolicy = {
  name: "gcp-cloudsql-requires-supported-version",
  severity: "medium",
  remediationSteps: "Set databaseVersion to MYSQL_8_4 or later (an in-place major version upgrade).",
  url: "https://cloud.google.com/sql/docs/mysql/db-versions",
  description:
    "Hardening: Cloud SQL for MySQL runs a version in standard support (https://cloud.google.com/sql/docs/db-versions). " +
    "An older one gets security fixes only under paid extended support, and then none.",
  configSchema: {
    properties: {
      minimumMysqlVersion: {
        type: "string",
        pattern: "^\\d+\\.\\d+$",
        default: "8.4",
        description: "The oldest MySQL major.minor version accepted (8.0 left standard support in 2026).",
      },
    },
  },
  validateResource: validateResourceOfType(gcp.sql.DatabaseInstance, (instance, args, report) => {
    if (engineOf(instance) !== "MYSQL") return;
    const written = instance.databaseVersion;
    const { minimumMysqlVersion } = args.getConfig<SupportedVersionConfig>();
    const version = majorMinor(written);
    const minimum = majorMinor(minimumMysqlVersion);
    if (!version || !minimum) return;
    if (version[0] > minimum[0] || (version[0] === minimum[0] && version[1] >= minimum[1])) return;
    report(
      `Cloud SQL ${roleOf(instance)} ${quote(args.name)} runs ${written}, older than ` +
        `MySQL ${minimumMysqlVersion}; upgrade databaseVersion (Cloud SQL upgrades a major version in place) to ` +
        `MYSQL_${minimumMysqlVersion.replace(".", "_")} or later.`,
    );
  }),
};

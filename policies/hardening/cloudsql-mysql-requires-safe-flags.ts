import * as gcp from "@pulumi/gcp";
import { ResourceValidationPolicy } from "@pulumi/policy";
import { engineOf, isReplica, settingsOf, settingUnknown } from "../lib/cloudsql";
import { checkResource } from "../lib/policy";
import { isUnknown, list, quote, record, text } from "../lib/values";

export interface SafeFlagsConfig {
  requiredFlags: Record<string, string>;
}

export const cloudSqlMysqlRequiresSafeFlags: ResourceValidationPolicy = {
  name: "gcp-cloudsql-mysql-requires-safe-flags",
  severity: "medium",
  remediationSteps:
    "Add settings.databaseFlags local_infile = off and skip_show_database = on (or the values of requiredFlags).",
  url: "https://cloud.google.com/sql/docs/mysql/flags",
  description:
    "Hardening: Cloud SQL for MySQL instances, primaries and replicas alike, set risky flags to their safe values explicitly: local_infile off, so clients cannot make the server read files, and skip_show_database on, so a user sees only the databases it has rights on.",
  configSchema: {
    properties: {
      requiredFlags: {
        type: "object",
        additionalProperties: { type: "string" },
        default: { local_infile: "off", skip_show_database: "on" },
        description: "Database flags every MySQL instance must set, with the value each must have.",
      },
    },
  },
  validateResource: checkResource(gcp.sql.DatabaseInstance, (instance, args, report) => {
    if (engineOf(instance) !== "MYSQL" || settingUnknown(instance, "databaseFlags")) return;
    const flags = new Map<string, unknown>();
    for (const entry of list(settingsOf(instance)?.databaseFlags) ?? []) {
      const flag = record<gcp.types.input.sql.DatabaseInstanceSettingsDatabaseFlag>(entry);
      const name = text(flag?.name);
      if (name !== undefined) flags.set(name, flag?.value);
    }
    const kind = isReplica(instance) ? "replica" : "primary";
    const { requiredFlags } = args.getConfig<SafeFlagsConfig>();
    for (const [name, wanted] of Object.entries(requiredFlags)) {
      const value = flags.get(name);
      if (isUnknown(value)) continue;
      const actual = text(value);
      if (actual !== undefined && actual.toLowerCase() === wanted.toLowerCase()) continue;
      const shown = actual === undefined ? "does not set the flag" : `sets it to "${actual}"`;
      report(
        `Cloud SQL ${kind} ${quote(args.name)} ${shown} ${name}; ` +
          `add { name: "${name}", value: "${wanted}" } to settings.databaseFlags.`,
      );
    }
  }),
};

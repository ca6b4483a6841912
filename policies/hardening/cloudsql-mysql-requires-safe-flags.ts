import * as gcp from "@pulumi/gcp";
import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { engineOf, roleOf } from "../lib/cloudsql";
import { isAbsent, quote } from "../lib/values";

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
  validateResource: validateResourceOfType(gcp.sql.DatabaseInstance, (instance, args, report) => {
    if (engineOf(instance) !== "MYSQL") return;
    const flags = new Map((instance.settings?.databaseFlags ?? []).map((flag) => [flag.name, flag.value]));
    const kind = roleOf(instance);
    const { requiredFlags } = args.getConfig<SafeFlagsConfig>();
    for (const [name, wanted] of Object.entries(requiredFlags)) {
      const actual = flags.get(name);
      if (!isAbsent(actual) && actual.toLowerCase() === wanted.toLowerCase()) continue;
      const shown = isAbsent(actual) ? "does not set the flag" : `sets it to "${actual}"`;
      report(
        `Cloud SQL ${kind} ${quote(args.name)} ${shown} ${name}; ` +
          `add { name: "${name}", value: "${wanted}" } to settings.databaseFlags.`,
      );
    }
  }),
};

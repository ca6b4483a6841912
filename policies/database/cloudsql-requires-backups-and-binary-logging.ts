import * as gcp from "@pulumi/gcp";
import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { quote } from "../lib/values";
import { engineOf, isReplica } from "../lib/cloudsql";

export const cloudSqlRequiresBackupsAndBinaryLogging: ResourceValidationPolicy = {
  name: "gcp-cloudsql-requires-backups-and-binary-logging",
  severity: "high",
  remediationSteps:
    "Set settings.backupConfiguration.enabled: true and binaryLogEnabled: true on the primary.",
  url: "https://cloud.google.com/sql/docs/mysql/backup-recovery/backups",
  description:
    "No single MySQL writer: every primary Cloud SQL instance keeps automated backups and binary logs (point-in-time recovery), which replicas and failover depend on.",
  validateResource: validateResourceOfType(gcp.sql.DatabaseInstance, (instance, args, report) => {
    if (isReplica(instance)) return;
    const backup = instance.settings?.backupConfiguration;
    const name = quote(args.name);
    if (backup?.enabled !== true) {
      report(
        `Cloud SQL primary ${name} has automated backups off; set settings.backupConfiguration.enabled to true.`,
      );
    }
    const engine = engineOf(instance);
    if (engine === "MYSQL" && backup?.binaryLogEnabled !== true) {
      report(
        `Cloud SQL primary ${name} has binary logging off, so it cannot be recovered to a point in time; ` +
          "set settings.backupConfiguration.binaryLogEnabled to true.",
      );
    }
    if (engine === "POSTGRES" && backup?.pointInTimeRecoveryEnabled !== true) {
      report(
        `Cloud SQL primary ${name} has point-in-time recovery off; set settings.backupConfiguration.pointInTimeRecoveryEnabled to true.`,
      );
    }
  }),
};

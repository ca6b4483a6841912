import * as gcp from "@pulumi/gcp";
import { ResourceValidationPolicy } from "@pulumi/policy";
import { checkResource } from "../lib/policy";
import { flag, isUnknown, quote, record } from "../lib/values";
import { engineOf, isReplica, settingsOf, settingUnknown } from "../lib/cloudsql";

export const cloudSqlRequiresBackupsAndBinaryLogging: ResourceValidationPolicy = {
  name: "gcp-cloudsql-requires-backups-and-binary-logging",
  severity: "high",
  remediationSteps:
    "Set settings.backupConfiguration.enabled: true and binaryLogEnabled: true on the primary.",
  url: "https://cloud.google.com/sql/docs/mysql/backup-recovery/backups",
  description:
    "No single MySQL writer: every primary Cloud SQL instance keeps automated backups and binary logs (point-in-time recovery), which replicas and failover depend on.",
  validateResource: checkResource(gcp.sql.DatabaseInstance, (instance, args, report) => {
    if (isReplica(instance) || settingUnknown(instance, "backupConfiguration")) return;
    const backup = record<gcp.types.input.sql.DatabaseInstanceSettingsBackupConfiguration>(
      settingsOf(instance)?.backupConfiguration,
    );
    const name = quote(args.name);
    if (!isUnknown(backup?.enabled) && flag(backup?.enabled) !== true) {
      report(
        `Cloud SQL primary ${name} has automated backups off; set settings.backupConfiguration.enabled to true.`,
      );
    }
    const engine = engineOf(instance);
    if (
      engine === "MYSQL" &&
      !isUnknown(backup?.binaryLogEnabled) &&
      flag(backup?.binaryLogEnabled) !== true
    ) {
      report(
        `Cloud SQL primary ${name} has binary logging off, so it cannot be recovered to a point in time; ` +
          "set settings.backupConfiguration.binaryLogEnabled to true.",
      );
    }
    if (
      engine === "POSTGRES" &&
      !isUnknown(backup?.pointInTimeRecoveryEnabled) &&
      flag(backup?.pointInTimeRecoveryEnabled) !== true
    ) {
      report(
        `Cloud SQL primary ${name} has point-in-time recovery off; set settings.backupConfiguration.pointInTimeRecoveryEnabled to true.`,
      );
    }
  }),
};

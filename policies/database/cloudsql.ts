/** Facts about Cloud SQL instances shared by the database and hardening policies. */
import * as gcp from "@pulumi/gcp";
import { isAbsent, isUnknown, Loose, record, text } from "../lib/values";

export type DatabaseInstanceProps = Loose<gcp.sql.DatabaseInstanceArgs>;

/** A replica follows a primary (`masterInstanceName`, even when unknown during preview). */
export function isReplica(instance: DatabaseInstanceProps): boolean {
  if (!isAbsent(instance.masterInstanceName)) return true;
  return text(instance.instanceType)?.toUpperCase() === "READ_REPLICA_INSTANCE";
}

/** The engine family: "MYSQL", "POSTGRES", "SQLSERVER", or undefined when unknown. */
export function engineOf(instance: DatabaseInstanceProps): string | undefined {
  return text(instance.databaseVersion)?.toUpperCase().split("_")[0];
}

export function settingsOf(instance: DatabaseInstanceProps) {
  return record<gcp.types.input.sql.DatabaseInstanceSettings>(instance.settings);
}

/** True when a settings block, or the field in it, is unknown during preview. */
export function settingUnknown(instance: DatabaseInstanceProps, ...path: string[]): boolean {
  let value: unknown = instance.settings;
  for (const key of path) {
    if (isUnknown(value)) return true;
    value = record(value)?.[key];
  }
  return isUnknown(value);
}

/** Facts about Cloud SQL instances, shared by the policies and the offline plan's report and diagram. */
import * as gcp from "@pulumi/gcp";
import { isAbsent, isUnknown, Loose, record, text } from "./values";

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

/** The SSL modes that refuse unencrypted connections (the Admin API's `sslMode`). */
export const TLS_ONLY_SSL_MODES: readonly string[] = [
  "ENCRYPTED_ONLY",
  "TRUSTED_CLIENT_CERTIFICATE_REQUIRED",
];

/** The instance's sslMode, upper-cased; undefined when not set or unknown. */
export function sslModeOf(instance: DatabaseInstanceProps): string | undefined {
  const ipConfiguration = record<gcp.types.input.sql.DatabaseInstanceSettingsIpConfiguration>(
    settingsOf(instance)?.ipConfiguration,
  );
  return text(ipConfiguration?.sslMode)?.toUpperCase();
}

/** Whether the instance refuses unencrypted connections. */
export function isTlsOnly(instance: DatabaseInstanceProps): boolean {
  const mode = sslModeOf(instance);
  return mode !== undefined && TLS_ONLY_SSL_MODES.includes(mode);
}

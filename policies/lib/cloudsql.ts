/** Facts about Cloud SQL instances, shared by the policies and the offline plan's report and diagram. */
import * as gcp from "@pulumi/gcp";
import { Unwrap } from "@pulumi/pulumi";
import { isSet } from "./unknowns";

export type DatabaseInstanceProps = Unwrap<gcp.sql.DatabaseInstanceArgs>;

/**
 * A replica follows a primary (`masterInstanceName`, set even while its value, the name of a primary not
 * created yet, is unknown), or says it is one (`instanceType`).
 */
export function isReplica(
  instance: Pick<DatabaseInstanceProps, "masterInstanceName" | "instanceType">,
): boolean {
  if (isSet(() => instance.masterInstanceName)) return true;
  return instance.instanceType?.toUpperCase() === "READ_REPLICA_INSTANCE";
}

/** "replica" or "primary", for messages. */
export function roleOf(instance: Pick<DatabaseInstanceProps, "masterInstanceName" | "instanceType">): string {
  return isReplica(instance) ? "replica" : "primary";
}

/** The engine family: "MYSQL", "POSTGRES", "SQLSERVER". */
export function engineOf(instance: Pick<DatabaseInstanceProps, "databaseVersion">): string {
  return (instance.databaseVersion ?? "").toUpperCase().split("_")[0];
}

/** The SSL modes that refuse unencrypted connections (the Admin API's `sslMode`). */
export const TLS_ONLY_SSL_MODES: readonly string[] = [
  "ENCRYPTED_ONLY",
  "TRUSTED_CLIENT_CERTIFICATE_REQUIRED",
];

/** The instance's sslMode, upper-cased; undefined when not set. */
export function sslModeOf(instance: Pick<DatabaseInstanceProps, "settings">): string | undefined {
  return instance.settings?.ipConfiguration?.sslMode?.toUpperCase();
}

/** Whether the instance refuses unencrypted connections. */
export function isTlsOnly(instance: Pick<DatabaseInstanceProps, "settings">): boolean {
  const mode = sslModeOf(instance);
  return mode !== undefined && TLS_ONLY_SSL_MODES.includes(mode);
}

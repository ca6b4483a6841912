import * as gcp from "@pulumi/gcp";
import { ResourceValidationPolicy } from "@pulumi/policy";
import { isReplica, settingsOf, settingUnknown } from "../database/cloudsql";
import { checkResource } from "../lib/policy";
import { quote, record, text } from "../lib/values";

const TLS_ONLY_MODES = ["ENCRYPTED_ONLY", "TRUSTED_CLIENT_CERTIFICATE_REQUIRED"];

export const cloudSqlRequiresTls: ResourceValidationPolicy = {
  name: "gcp-cloudsql-requires-tls",
  severity: "high",
  remediationSteps:
    "Set settings.ipConfiguration.sslMode to ENCRYPTED_ONLY or TRUSTED_CLIENT_CERTIFICATE_REQUIRED.",
  url: "https://cloud.google.com/sql/docs/mysql/configure-ssl-instance",
  description:
    "Hardening: Cloud SQL instances, primaries and replicas alike, refuse unencrypted connections.",
  validateResource: checkResource(gcp.sql.DatabaseInstance, (instance, args, report) => {
    if (settingUnknown(instance, "ipConfiguration", "sslMode")) return;
    const ipConfiguration = record<gcp.types.input.sql.DatabaseInstanceSettingsIpConfiguration>(
      settingsOf(instance)?.ipConfiguration,
    );
    const mode = text(ipConfiguration?.sslMode)?.toUpperCase();
    if (mode !== undefined && TLS_ONLY_MODES.includes(mode)) return;
    const shown =
      mode === undefined ? "no sslMode, which allows unencrypted connections" : `sslMode "${mode}"`;
    report(
      `Cloud SQL ${isReplica(instance) ? "replica" : "primary"} ${quote(args.name)} has ${shown}; ` +
        'set settings.ipConfiguration.sslMode to "ENCRYPTED_ONLY".',
    );
  }),
};

import * as gcp from "@pulumi/gcp";
import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { isTlsOnly, roleOf, sslModeOf } from "../lib/cloudsql";
import { quote } from "../lib/values";

export const cloudSqlRequiresTls: ResourceValidationPolicy = {
  name: "gcp-cloudsql-requires-tls",
  severity: "high",
  remediationSteps:
    "Set settings.ipConfiguration.sslMode to ENCRYPTED_ONLY or TRUSTED_CLIENT_CERTIFICATE_REQUIRED.",
  url: "https://cloud.google.com/sql/docs/mysql/configure-ssl-instance",
  description:
    "Hardening: Cloud SQL instances, primaries and replicas alike, refuse unencrypted connections.",
  validateResource: validateResourceOfType(gcp.sql.DatabaseInstance, (instance, args, report) => {
    if (isTlsOnly(instance)) return;
    const mode = sslModeOf(instance);
    const shown =
      mode === undefined ? "no sslMode, which allows unencrypted connections" : `sslMode "${mode}"`;
    report(
      `Cloud SQL ${roleOf(instance)} ${quote(args.name)} has ${shown}; ` +
        'set settings.ipConfiguration.sslMode to "ENCRYPTED_ONLY".',
    );
  }),
};

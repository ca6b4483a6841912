// The floor: what any run of the offline plan pays before doing anything, loading the SDK, the provider
// classes the dev stack creates and the policy SDK, with no TypeScript loader (it runs as built JavaScript).
// @pulumi/gcp loads each resource class on first use, so the floor names every class the plan of dev
// registers, not one per module; tools/bench/test/floor.test.ts keeps the list equal to the plan's types.
import * as policy from "@pulumi/policy";
import * as pulumi from "@pulumi/pulumi";
import * as gcp from "@pulumi/gcp";
import * as tls from "@pulumi/tls";
import * as random from "@pulumi/random";

/** The provider resource classes the dev stack registers. */
export const devStackClasses = [
  gcp.compute.BackendService,
  gcp.compute.Firewall,
  gcp.compute.GlobalAddress,
  gcp.compute.GlobalForwardingRule,
  gcp.compute.HealthCheck,
  gcp.compute.InstanceTemplate,
  gcp.compute.Network,
  gcp.compute.RegionInstanceGroupManager,
  gcp.compute.Router,
  gcp.compute.RouterNat,
  gcp.compute.SSLCertificate,
  gcp.compute.SSLPolicy,
  gcp.compute.SecurityPolicy,
  gcp.compute.Subnetwork,
  gcp.compute.TargetHttpProxy,
  gcp.compute.TargetHttpsProxy,
  gcp.compute.URLMap,
  gcp.monitoring.AlertPolicy,
  gcp.monitoring.CustomService,
  gcp.monitoring.Dashboard,
  gcp.monitoring.NotificationChannel,
  gcp.monitoring.Slo,
  gcp.monitoring.UptimeCheckConfig,
  gcp.projects.IAMMember,
  gcp.secretmanager.Secret,
  gcp.secretmanager.SecretIamMember,
  gcp.secretmanager.SecretVersion,
  gcp.serviceaccount.Account,
  gcp.servicenetworking.Connection,
  gcp.sql.Database,
  gcp.sql.DatabaseInstance,
  gcp.sql.User,
  random.RandomPassword,
  tls.PrivateKey,
  tls.SelfSignedCert,
];

const loaded = [pulumi.ComponentResource, policy.PolicyPack, ...devStackClasses];
if (loaded.some((c) => typeof c !== "function")) {
  throw new Error("a module did not load");
}

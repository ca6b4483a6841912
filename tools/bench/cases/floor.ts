// The floor: what any run of the offline plan pays before doing anything, loading the SDK, the provider
// modules the program uses and the policy SDK, with no TypeScript loader (it runs as built JavaScript).
import * as policy from "@pulumi/policy";
import * as pulumi from "@pulumi/pulumi";
import * as gcp from "@pulumi/gcp";
import * as tls from "@pulumi/tls";
import * as random from "@pulumi/random";

const loaded = [
  pulumi.ComponentResource,
  gcp.compute.Instance,
  gcp.sql.DatabaseInstance,
  gcp.monitoring.AlertPolicy,
  gcp.serviceaccount.Account,
  gcp.projects.IAMMember,
  gcp.servicenetworking.Connection,
  tls.PrivateKey,
  random.RandomPassword,
  policy.PolicyPack,
];
if (loaded.some((c) => typeof c !== "function")) {
  throw new Error("a module did not load");
}

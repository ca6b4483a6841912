// The floor: what any run of the program pays before doing anything, loading the SDK and the provider
// modules the program uses.
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
];
if (loaded.some((c) => typeof c !== "function")) {
  throw new Error("a module did not load");
}

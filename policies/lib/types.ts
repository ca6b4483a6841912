/**
 * Type tokens of the resources the policies look at, read from the @pulumi/gcp classes themselves so that
 * they can never drift from the provider's.
 */
import * as gcp from "@pulumi/gcp";

/** The Pulumi type token a generated resource class carries (`gcp:compute/instance:Instance`). */
export function tokenOf(resourceClass: object): string {
  const token = (resourceClass as { __pulumiType?: unknown }).__pulumiType;
  if (typeof token !== "string" || token === "") {
    throw new Error("resource class has no Pulumi type token");
  }
  return token;
}

export const T = {
  network: tokenOf(gcp.compute.Network),
  subnetwork: tokenOf(gcp.compute.Subnetwork),
  firewall: tokenOf(gcp.compute.Firewall),
  instance: tokenOf(gcp.compute.Instance),
  instanceTemplate: tokenOf(gcp.compute.InstanceTemplate),
  regionInstanceTemplate: tokenOf(gcp.compute.RegionInstanceTemplate),
  instanceGroup: tokenOf(gcp.compute.InstanceGroup),
  instanceGroupManager: tokenOf(gcp.compute.InstanceGroupManager),
  regionInstanceGroupManager: tokenOf(gcp.compute.RegionInstanceGroupManager),
  networkEndpointGroup: tokenOf(gcp.compute.NetworkEndpointGroup),
  globalNetworkEndpointGroup: tokenOf(gcp.compute.GlobalNetworkEndpointGroup),
  regionNetworkEndpointGroup: tokenOf(gcp.compute.RegionNetworkEndpointGroup),
  healthCheck: tokenOf(gcp.compute.HealthCheck),
  regionHealthCheck: tokenOf(gcp.compute.RegionHealthCheck),
  httpHealthCheck: tokenOf(gcp.compute.HttpHealthCheck),
  httpsHealthCheck: tokenOf(gcp.compute.HttpsHealthCheck),
  backendService: tokenOf(gcp.compute.BackendService),
  regionBackendService: tokenOf(gcp.compute.RegionBackendService),
  urlMap: tokenOf(gcp.compute.URLMap),
  regionUrlMap: tokenOf(gcp.compute.RegionUrlMap),
  targetHttpProxy: tokenOf(gcp.compute.TargetHttpProxy),
  regionTargetHttpProxy: tokenOf(gcp.compute.RegionTargetHttpProxy),
  targetHttpsProxy: tokenOf(gcp.compute.TargetHttpsProxy),
  regionTargetHttpsProxy: tokenOf(gcp.compute.RegionTargetHttpsProxy),
  targetSslProxy: tokenOf(gcp.compute.TargetSSLProxy),
  sslPolicy: tokenOf(gcp.compute.SSLPolicy),
  securityPolicy: tokenOf(gcp.compute.SecurityPolicy),
  regionSslPolicy: tokenOf(gcp.compute.RegionSslPolicy),
  sslCertificate: tokenOf(gcp.compute.SSLCertificate),
  regionSslCertificate: tokenOf(gcp.compute.RegionSslCertificate),
  managedSslCertificate: tokenOf(gcp.compute.ManagedSslCertificate),
  certificateManagerCertificate: tokenOf(gcp.certificatemanager.Certificate),
  globalForwardingRule: tokenOf(gcp.compute.GlobalForwardingRule),
  forwardingRule: tokenOf(gcp.compute.ForwardingRule),
  databaseInstance: tokenOf(gcp.sql.DatabaseInstance),
  uptimeCheckConfig: tokenOf(gcp.monitoring.UptimeCheckConfig),
  alertPolicy: tokenOf(gcp.monitoring.AlertPolicy),
  osPolicyAssignment: tokenOf(gcp.osconfig.OsPolicyAssignment),
  /** @pulumi/tls is not a dependency of the pack; its token is stable and only used to explain a finding. */
  tlsSelfSignedCert: "tls:index/selfSignedCert:SelfSignedCert",
} as const;

import * as pulumi from "@pulumi/pulumi";
import { StackConfig } from "../config/stackConfig";
import { Network } from "./network/network";
import { TierFirewalls } from "./firewalls/tierFirewalls";
import { WebTier, WebGroupSummary } from "./web/webTier";
import { HttpsLoadBalancer } from "./loadBalancer/httpsLoadBalancer";
import { MySqlCluster } from "./database/mysqlCluster";
import { Monitoring } from "./monitoring/monitoring";

/** How an application reaches the database; the password is named by its secret, never given. */
export interface DatabaseAccess {
  primaryPrivateIp: string;
  replicaPrivateIps: string[];
  database: string;
  user: string;
  passwordSecret: string;
}

/** Subnet of the web tier. Fixed: the database user's host pattern is derived from it. */
export const webSubnetCidr = "10.10.0.0/24";

/**
 * The whole site for one stack: network, per-tier firewalls, web VMs, the HTTPS load balancer, the MySQL
 * cluster and monitoring, wired together.
 */
export class WebStack extends pulumi.ComponentResource {
  public readonly siteUrl: pulumi.Output<string>;
  public readonly loadBalancerIp: pulumi.Output<string>;
  public readonly webGroup: pulumi.Output<WebGroupSummary>;
  public readonly databaseConnectionNames: pulumi.Output<{ primary: string; replicas: string[] }>;
  public readonly dashboardUrl: pulumi.Output<string>;
  public readonly databaseAccess: pulumi.Output<DatabaseAccess>;
  public readonly dnsRecord: pulumi.Output<string>;

  constructor(name: string, config: StackConfig, opts?: pulumi.ComponentResourceOptions) {
    super("foobar:index:WebStack", name, {}, opts);
    const child = { parent: this };

    const network = new Network(`${name}-net`, { region: config.region, subnetCidr: webSubnetCidr }, child);

    const db = new MySqlCluster(
      `${name}-db`,
      {
        region: config.region,
        zones: config.zones,
        tier: config.dbTier,
        databaseVersion: config.dbVersion,
        highAvailability: config.dbHighAvailability,
        replicaCount: config.dbReplicaCount,
        deletionProtection: config.dbDeletionProtection,
        privateNetwork: network.networkId,
        privateServicesConnection: network.privateServicesConnection,
        clientCidr: webSubnetCidr,
      },
      child,
    );

    const web = new WebTier(
      `${name}-web`,
      {
        instanceCount: config.webInstanceCount,
        zones: config.zones,
        region: config.region,
        machineType: config.machineType,
        subnetwork: network.subnetworkId,
        domain: config.domain,
        project: config.project,
        bootDependencies: [network.natGateway],
        appImage: config.appImage,
        database: {
          primaryIp: db.primaryPrivateIp,
          replicaIps: db.replicaPrivateIps,
          name: db.databaseName,
          user: db.userName,
          serverCaCert: db.serverCaCert,
          passwordSecretId: db.passwordSecretId,
          passwordSecretVersion: db.passwordSecretVersion,
        },
      },
      child,
    );

    new TierFirewalls(
      `${name}-fw`,
      {
        network: network.networkId,
        databaseCidr: network.privateServicesCidr,
        webTag: web.serving.networkTag,
        webPort: web.serving.httpsPort,
      },
      child,
    );

    const lb = new HttpsLoadBalancer(
      `${name}-lb`,
      {
        domain: config.domain,
        certificate: config.certificate,
        instanceGroups: [web.instanceGroup],
        backends: web.serving,
        dnsZone: config.dnsZone,
        edgeSecurity: { mode: config.edgeSecurityMode, rateLimitPerMinute: config.rateLimitPerMinute },
      },
      child,
    );

    const monitoring = new Monitoring(
      `${name}-mon`,
      {
        domain: config.domain,
        validateCertificate: config.certificate === "managed",
        urlMapName: lb.urlMapName,
        web: { tier: web.serving.tierLabel, instanceCount: config.webInstanceCount },
        database: { ids: db.monitoringIds, hasReplicas: config.dbReplicaCount > 0 },
        qpsAlertThreshold: config.qpsAlertThreshold,
        thresholds: config.alerts,
        alertEmail: config.alertEmail,
        project: config.project,
      },
      child,
    );

    this.siteUrl = lb.url;
    this.loadBalancerIp = lb.ipAddress;
    this.webGroup = web.group;
    this.databaseConnectionNames = pulumi
      .all([db.primaryConnectionName, db.replicaConnectionNames])
      .apply(([primary, replicas]) => ({ primary, replicas }));
    this.dashboardUrl = monitoring.dashboardUrl;
    this.dnsRecord = lb.dnsRecord;
    this.databaseAccess = pulumi
      .all([db.primaryPrivateIp, db.replicaPrivateIps, db.databaseName, db.userName, db.passwordSecretId])
      .apply(([primaryPrivateIp, replicaPrivateIps, database, user, passwordSecret]) => ({
        primaryPrivateIp,
        replicaPrivateIps,
        database,
        user,
        passwordSecret,
      }));
    this.registerOutputs({
      siteUrl: this.siteUrl,
      loadBalancerIp: this.loadBalancerIp,
      webGroup: this.webGroup,
      databaseConnectionNames: this.databaseConnectionNames,
      dashboardUrl: this.dashboardUrl,
      dnsRecord: this.dnsRecord,
      databaseAccess: this.databaseAccess,
    });
  }
}

import * as pulumi from "@pulumi/pulumi";
import * as gcp from "@pulumi/gcp";
import * as random from "@pulumi/random";
import { mysqlHostPattern } from "./mysqlHostPattern";

export interface MySqlClusterArgs {
  /** Region of the primary and its replicas. */
  region: string;
  /** Zones in order of preference: the primary in the first, its standby in the second, replicas after. */
  zones: string[];
  /** Cloud SQL machine tier, e.g. db-custom-2-7680. */
  tier: string;
  /** Cloud SQL for MySQL version, e.g. MYSQL_8_4. */
  databaseVersion: string;
  /** REGIONAL availability: a synchronous standby in another zone that takes over automatically. */
  highAvailability: boolean;
  /** Number of read replicas. A whole number, 0 or more. */
  replicaCount: number;
  /** Protects every instance from deletion, in Pulumi and in the Cloud SQL API. */
  deletionProtection: boolean;
  /** VPC whose private services range gives the instances their private IPs. */
  privateNetwork: pulumi.Input<string>;
  /** The private services peering; the instances cannot be created before it exists. */
  privateServicesConnection: pulumi.Resource;
  /** Subnet of the web tier; the application user may only connect from it. A /8, /16 or /24. */
  clientCidr: string;
  /** Name of the application database. Default "foobar". */
  databaseName?: string;
  /** Name of the application user. Default "foobar_app". */
  userName?: string;
}

/** MySQL flags set on every instance: refuse loading client-side files, hide other schemas' names. */
export const hardenedMySqlFlags = [
  { name: "local_infile", value: "off" },
  { name: "skip_show_database", value: "on" },
];

/**
 * Throws a whole-sentence error for arguments the cluster cannot be built from. Runs before the component
 * is registered, so bad arguments leave nothing behind.
 */
export function validateMySqlClusterArgs(name: string, args: MySqlClusterArgs): void {
  const problem =
    !Number.isSafeInteger(args.replicaCount) || args.replicaCount < 0
      ? `replicaCount is ${args.replicaCount}; it must be a whole number of 0 or more`
      : args.zones.length === 0
        ? "zones is empty; it must list at least one zone"
        : undefined;
  if (problem) {
    throw new pulumi.ResourceError(`MySqlCluster ${JSON.stringify(name)}: ${problem}.`, undefined);
  }
  // Checked here rather than when the user resource is made, which would be after the instances.
  mysqlHostPattern(args.clientCidr);
}

/** Zone of the n-th read replica (0-based): away from the primary's zone whenever there is another zone. */
export function replicaZone(zones: string[], index: number): string {
  return zones.length === 1 ? zones[0] : zones[1 + (index % (zones.length - 1))];
}

/**
 * Cloud SQL for MySQL: a primary with automatic failover to a standby in another zone (so one failed
 * server no longer stops writes), point-in-time recovery, and read replicas in other zones. Every instance
 * has only a private IP and accepts only encrypted connections.
 */
export class MySqlCluster extends pulumi.ComponentResource {
  public readonly primaryConnectionName: pulumi.Output<string>;
  public readonly replicaConnectionNames: pulumi.Output<string[]>;
  /** The `database_id` (`<project>:<instance>`) each instance's Cloud Monitoring metrics carry. */
  public readonly monitoringIds: pulumi.Output<{ primary: string; replicas: string[] }>;
  public readonly primaryPrivateIp: pulumi.Output<string>;
  /** Private IPs of the read replicas, for reads. */
  public readonly replicaPrivateIps: pulumi.Output<string[]>;
  /**
   * The CA certificates of the primary and every replica, one bundle: each Cloud SQL instance has its own
   * CA by default, so a client verifying a replica needs the replica's. Public, not secret.
   */
  public readonly serverCaCert: pulumi.Output<string>;
  /** The secret version with the current password, which the VMs read by name. */
  public readonly passwordSecretVersion: pulumi.Output<string>;
  /** Secret Manager secret (`projects/<project>/secrets/<id>`) holding the application user's password. */
  public readonly passwordSecretId: pulumi.Output<string>;
  public readonly databaseName: pulumi.Output<string>;
  public readonly userName: pulumi.Output<string>;
  /** The application user's password; a Pulumi secret. */
  public readonly password: pulumi.Output<string>;

  constructor(name: string, args: MySqlClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    validateMySqlClusterArgs(name, args);
    super("foobar:database:MySqlCluster", name, {}, opts);
    const databaseName = args.databaseName ?? "foobar";
    const userName = args.userName ?? "foobar_app";
    const ipConfiguration = {
      ipv4Enabled: false,
      privateNetwork: args.privateNetwork,
      sslMode: "ENCRYPTED_ONLY",
    };
    const instanceOpts: pulumi.CustomResourceOptions = {
      parent: this,
      dependsOn: [args.privateServicesConnection],
    };

    const primary = new gcp.sql.DatabaseInstance(
      `${name}-primary`,
      {
        region: args.region,
        databaseVersion: args.databaseVersion,
        deletionProtection: args.deletionProtection,
        settings: {
          tier: args.tier,
          edition: "ENTERPRISE",
          availabilityType: args.highAvailability ? "REGIONAL" : "ZONAL",
          locationPreference: {
            zone: args.zones[0],
            secondaryZone: args.highAvailability && args.zones.length > 1 ? args.zones[1] : undefined,
          },
          backupConfiguration: {
            enabled: true,
            binaryLogEnabled: true,
            startTime: "03:00",
            transactionLogRetentionDays: 7,
            backupRetentionSettings: { retainedBackups: 14 },
          },
          ipConfiguration,
          databaseFlags: hardenedMySqlFlags,
          diskType: "PD_SSD",
          diskAutoresize: true,
          deletionProtectionEnabled: args.deletionProtection,
          maintenanceWindow: { day: 7, hour: 3, updateTrack: "stable" },
          userLabels: { tier: "database", role: "primary" },
        },
      },
      instanceOpts,
    );

    const replicas = Array.from(
      { length: args.replicaCount },
      (_, i) =>
        new gcp.sql.DatabaseInstance(
          `${name}-replica-${i + 1}`,
          {
            region: args.region,
            databaseVersion: args.databaseVersion,
            masterInstanceName: primary.name,
            replicaConfiguration: { failoverTarget: false },
            deletionProtection: args.deletionProtection,
            settings: {
              tier: args.tier,
              edition: "ENTERPRISE",
              availabilityType: "ZONAL",
              locationPreference: { zone: replicaZone(args.zones, i) },
              ipConfiguration,
              databaseFlags: hardenedMySqlFlags,
              diskType: "PD_SSD",
              diskAutoresize: true,
              deletionProtectionEnabled: args.deletionProtection,
              userLabels: { tier: "database", role: "replica" },
            },
          },
          instanceOpts,
        ),
    );

    const database = new gcp.sql.Database(
      `${name}-db`,
      { instance: primary.name, name: databaseName, charset: "utf8mb4", collation: "utf8mb4_0900_ai_ci" },
      { parent: this },
    );

    const password = new random.RandomPassword(
      `${name}-app-password`,
      { length: 32, special: true, overrideSpecial: "-_.~!#%" },
      { parent: this, additionalSecretOutputs: ["result", "bcryptHash"] },
    );
    const user = new gcp.sql.User(
      `${name}-app-user`,
      {
        instance: primary.name,
        name: userName,
        host: mysqlHostPattern(args.clientCidr),
        password: pulumi.secret(password.result),
      },
      { parent: this, additionalSecretOutputs: ["password"] },
    );

    this.primaryConnectionName = primary.connectionName;
    this.replicaConnectionNames = pulumi.all(replicas.map((r) => r.connectionName));
    const monitoringId = (instance: gcp.sql.DatabaseInstance) =>
      pulumi.interpolate`${instance.project}:${instance.name}`;
    this.monitoringIds = pulumi
      .all([monitoringId(primary), pulumi.all(replicas.map(monitoringId))])
      .apply(([primaryId, replicaIds]) => ({ primary: primaryId, replicas: replicaIds }));
    // The password's home outside Pulumi: the web VMs read it at boot with their own identity, so it never
    // travels in instance metadata. A new random password adds a new version; VMs read "latest".
    const secret = new gcp.secretmanager.Secret(
      `${name}-app-password-secret`,
      {
        secretId: `${name}-app-password`,
        replication: { auto: {} },
        labels: { tier: "database" },
      },
      { parent: this },
    );
    const version = new gcp.secretmanager.SecretVersion(
      `${name}-app-password-version`,
      { secret: secret.id, secretData: pulumi.secret(password.result) },
      { parent: this },
    );

    this.primaryPrivateIp = primary.privateIpAddress;
    this.replicaPrivateIps = pulumi.all(replicas.map((r) => r.privateIpAddress));
    // Cloud SQL returns its CAs among the instance's secret outputs, but a CA certificate is public.
    this.serverCaCert = pulumi.unsecret(
      pulumi
        .all([primary, ...replicas].map((instance) => instance.serverCaCerts))
        .apply((perInstance) =>
          [...new Set(perInstance.flatMap((certs) => certs.map((c) => c.cert ?? "")))].join(""),
        ),
    );
    this.passwordSecretVersion = version.name;
    this.passwordSecretId = secret.id;
    this.databaseName = database.name;
    this.userName = user.name;
    this.password = pulumi.secret(password.result);
    this.registerOutputs({
      primaryConnectionName: this.primaryConnectionName,
      replicaConnectionNames: this.replicaConnectionNames,
      monitoringIds: this.monitoringIds,
      primaryPrivateIp: this.primaryPrivateIp,
      replicaPrivateIps: this.replicaPrivateIps,
      serverCaCert: this.serverCaCert,
      passwordSecretId: this.passwordSecretId,
      passwordSecretVersion: this.passwordSecretVersion,
      databaseName: this.databaseName,
      userName: this.userName,
      password: this.password,
    });
  }
}

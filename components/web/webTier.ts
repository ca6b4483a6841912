import * as pulumi from "@pulumi/pulumi";
import * as gcp from "@pulumi/gcp";
import { renderStartupScript } from "./startupScript";
import { serviceAccountId } from "./serviceAccountId";
import { evenSpread } from "./spread";
import { DatabaseClientArgs, grantAppAccess } from "./appAccess";
import { instanceAttributes } from "./boot/instanceAttributes";

export interface WebTierArgs {
  /** How many VMs the group keeps running (its target size). A whole number, 1 or more. */
  instanceCount: number;
  /** Zones of `region` the group spreads its VMs over evenly; two or more survive the loss of a zone. */
  zones: string[];
  /** Region of the managed instance group. */
  region: string;
  /** Compute Engine machine type, e.g. e2-medium. */
  machineType: string;
  /** Subnetwork the VMs get their (private-only) addresses from. */
  subnetwork: pulumi.Input<string>;
  /** Host name nginx serves. */
  domain: string;
  /** Project the VMs' service account is granted its roles in. */
  project: string;
  /**
   * Resources a VM needs before it boots, such as Cloud NAT: without egress its first boot cannot install
   * anything. The instance template (and so every VM) is created only after them.
   */
  bootDependencies?: pulumi.Resource[];
  /**
   * Container image of the site's application. Every VM runs it on loopback behind nginx, which sends it
   * the site and the health checks; undefined serves the built-in page.
   */
  appImage?: string;
  /** Where the application finds the database, and the secret with its password. */
  database?: DatabaseClientArgs;
  /** Network tag the tier's firewall rules target, and the value of its `tier` label. Default "web". */
  tag?: string;
  /** Boot image. Default debian-cloud/debian-12. */
  image?: string;
  /** Port nginx serves HTTPS on. Default 443. */
  httpsPort?: number;
  /** Path the load balancer's and the autohealer's health checks request. Default /healthz. */
  healthPath?: string;
}

/**
 * What the web tier serves and how it is found: every other component (load balancer, firewalls,
 * monitoring) takes these from the tier rather than repeating defaults.
 */
export interface WebServingContract {
  /** Network tag on every VM; the tier's firewall rules target it. */
  networkTag: string;
  /** Value of the VMs' `tier` label, which the dashboard's per-VM charts and the policy pack read. */
  tierLabel: string;
  /** Port nginx serves HTTPS on. */
  httpsPort: number;
  /** Named port of the instance group, which the backend service uses. */
  namedPort: string;
  /** Path of the health endpoint. */
  healthPath: string;
}

/** The managed instance group as a person reads it in the stack outputs. */
export interface WebGroupSummary {
  name: string;
  region: string;
  targetSize: number;
  zones: string[];
  /** VMs every zone is sure to get. */
  vmsPerZone: Record<string, number>;
  /** VMs beyond that, each in a different zone of Google's choosing. */
  extraVms: number;
}

/** The roles the VMs' own service account needs: writing logs and metrics, nothing else. */
export const webServiceAccountRoles = ["roles/logging.logWriter", "roles/monitoring.metricWriter"];

/**
 * Seconds the autohealer ignores a new VM's health, so a first boot can install nginx and the Ops Agent
 * (and ride out Cloud NAT becoming ready: the boot script retries for up to 480 s) before it is judged.
 */
export const autohealingInitialDelaySec = 600;

/**
 * Throws a whole-sentence error for arguments the tier cannot be built from. Runs before the component is
 * registered, so bad arguments leave nothing behind.
 */
export function validateWebTierArgs(name: string, args: WebTierArgs): void {
  const foreignZone = args.zones.find((zone) => !zone.startsWith(`${args.region}-`));
  const problem =
    !Number.isSafeInteger(args.instanceCount) || args.instanceCount < 1
      ? `instanceCount is ${args.instanceCount}; it must be a whole number of 1 or more`
      : args.zones.length === 0
        ? "zones is empty; it must list at least one zone"
        : foreignZone !== undefined
          ? `zone ${foreignZone} is not in region ${args.region}; a regional group only spreads over its region's zones`
          : args.machineType.trim() === ""
            ? "machineType is empty; it must name a machine type such as e2-medium"
            : undefined;
  if (problem) {
    throw new pulumi.ResourceError(`WebTier ${JSON.stringify(name)}: ${problem}.`, undefined);
  }
}

/**
 * The web tier: a regional managed instance group stamping hardened VMs (no public IP, Shielded VM, OS
 * Login, their own least-privilege service account) from one instance template, spread evenly over the
 * zones. Each VM boots nginx with TLS and the Ops Agent. The group recreates a VM whose health endpoint
 * stops answering, and rolls a changed template out by adding new VMs before removing old ones. No database
 * software runs here: the database is its own tier.
 */
export class WebTier extends pulumi.ComponentResource {
  /** URL of the instance group the managed group keeps its VMs in, for the load balancer's backend. */
  public readonly instanceGroup: pulumi.Output<string>;
  public readonly group: pulumi.Output<WebGroupSummary>;
  public readonly instanceTemplateName: pulumi.Output<string>;
  public readonly serviceAccountEmail: pulumi.Output<string>;
  public readonly serving: WebServingContract;

  constructor(name: string, args: WebTierArgs, opts?: pulumi.ComponentResourceOptions) {
    validateWebTierArgs(name, args);
    super("foobar:web:WebTier", name, {}, opts);
    const tag = args.tag ?? "web";
    const image = args.image ?? "debian-cloud/debian-12";
    this.serving = {
      networkTag: tag,
      tierLabel: tag,
      httpsPort: args.httpsPort ?? 443,
      namedPort: "https",
      healthPath: args.healthPath ?? "/healthz",
    };
    const { httpsPort, healthPath, namedPort } = this.serving;

    const account = new gcp.serviceaccount.Account(
      `${name}-sa`,
      {
        accountId: serviceAccountId(name, "vm"),
        displayName: "foobar web VMs",
        description: "Identity of the web VMs: writes logs and metrics only.",
      },
      { parent: this },
    );
    const grants = webServiceAccountRoles.map(
      (role) =>
        new gcp.projects.IAMMember(
          `${name}-${role.split(".").pop()}`,
          { project: args.project, role, member: account.member },
          { parent: this },
        ),
    );

    const appGrants = grantAppAccess(name, account.member, args.database, args.appImage, this);
    const db = args.database;
    const attributes: Record<string, pulumi.Input<string>> = {
      ...(args.appImage ? { [instanceAttributes.appImage]: args.appImage } : {}),
      ...(db
        ? {
            [instanceAttributes.dbHost]: db.primaryIp,
            [instanceAttributes.dbReadHosts]: pulumi.output(db.replicaIps).apply((ips) => ips.join(",")),
            [instanceAttributes.dbName]: db.name,
            [instanceAttributes.dbUser]: db.user,
            [instanceAttributes.dbServerCa]: db.serverCaCert,
            [instanceAttributes.dbPasswordSecret]: db.passwordSecretVersion,
          }
        : {}),
    };

    // Templates cannot be changed, only replaced. Pulumi creates the replacement (with a new autoname)
    // before deleting the old one, and the group moves to it in between, so the template in use is never
    // deleted first.
    const template = new gcp.compute.InstanceTemplate(
      `${name}-template`,
      {
        description: `Web VM of ${args.domain}: nginx over TLS and the Ops Agent.`,
        machineType: args.machineType,
        tags: [tag],
        labels: { tier: tag },
        disks: [
          { boot: true, autoDelete: true, sourceImage: image, diskSizeGb: 20, diskType: "pd-balanced" },
        ],
        // No accessConfigs: the VM has no public IP and reaches the internet through Cloud NAT.
        networkInterfaces: [{ subnetwork: args.subnetwork }],
        shieldedInstanceConfig: { enableSecureBoot: true, enableVtpm: true, enableIntegrityMonitoring: true },
        serviceAccount: { email: account.email, scopes: ["cloud-platform"] },
        canIpForward: false,
        metadata: {
          "enable-oslogin": "TRUE",
          "block-project-ssh-keys": "true",
          "serial-port-enable": "false",
          "startup-script": renderStartupScript({ domain: args.domain, httpsPort, healthPath }),
          ...attributes,
        },
        scheduling: { automaticRestart: true, onHostMaintenance: "MIGRATE" },
      },
      // The agent writes from first boot, the application reads its secret and image, and the boot needs egress.
      { parent: this, dependsOn: [...grants, ...appGrants, ...(args.bootDependencies ?? [])] },
    );

    // Separate from the load balancer's check and slower to condemn: the load balancer only stops sending
    // traffic, the autohealer deletes the VM.
    const autohealingCheck = new gcp.compute.HealthCheck(
      `${name}-autoheal`,
      {
        description: "Recreates a web VM whose health endpoint stops answering over HTTPS for a minute.",
        checkIntervalSec: 10,
        timeoutSec: 5,
        healthyThreshold: 2,
        unhealthyThreshold: 6,
        httpsHealthCheck: { port: httpsPort, requestPath: healthPath },
        logConfig: { enable: true },
      },
      { parent: this },
    );

    const manager = new gcp.compute.RegionInstanceGroupManager(
      `${name}-group`,
      {
        description: `Web VMs of ${args.domain}, spread evenly over ${args.zones.join(", ")}.`,
        region: args.region,
        baseInstanceName: name,
        // selfLinkUnique names this exact template, so a template recreated under the same name is still
        // a new version to roll out.
        versions: [{ name: "primary", instanceTemplate: template.selfLinkUnique }],
        targetSize: args.instanceCount,
        distributionPolicyZones: args.zones,
        distributionPolicyTargetShape: "EVEN",
        namedPorts: [{ name: namedPort, port: httpsPort }],
        autoHealingPolicies: {
          healthCheck: autohealingCheck.id,
          initialDelaySec: autohealingInitialDelaySec,
        },
        updatePolicy: {
          type: "PROACTIVE",
          minimalAction: "REPLACE",
          replacementMethod: "SUBSTITUTE",
          // New VMs first, old ones after: serving capacity never drops. A regional group's fixed surge
          // must be 0 or at least its number of zones (Compute API: updatePolicy.maxSurge.fixed).
          maxSurgeFixed: args.zones.length,
          maxUnavailableFixed: 0,
          instanceRedistributionType: "PROACTIVE",
        },
        // `pulumi up` returns once the group is stable: every VM created and, past the initial delay,
        // healthy, so a boot that cannot serve fails the update instead of passing unnoticed.
        waitForInstances: true,
        waitForInstancesStatus: "STABLE",
      },
      // A first boot may take the autohealer's 600 s initial delay and more; the provider's default 15
      // minutes would fail an update that is still converging.
      { parent: this, customTimeouts: { create: "30m", update: "30m" } },
    );

    const spread = evenSpread(args.instanceCount, args.zones);
    this.instanceGroup = manager.instanceGroup;
    this.instanceTemplateName = template.name;
    this.group = manager.name.apply((groupName) => ({
      name: groupName,
      region: args.region,
      targetSize: args.instanceCount,
      zones: args.zones,
      vmsPerZone: spread.vmsPerZone,
      extraVms: spread.extraVms,
    }));
    this.serviceAccountEmail = account.email;
    this.registerOutputs({
      instanceGroup: this.instanceGroup,
      group: this.group,
      instanceTemplateName: this.instanceTemplateName,
      serviceAccountEmail: this.serviceAccountEmail,
      serving: this.serving,
    });
  }
}

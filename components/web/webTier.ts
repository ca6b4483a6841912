import * as pulumi from "@pulumi/pulumi";
import * as gcp from "@pulumi/gcp";
import { renderStartupScript } from "./startupScript";
import { serviceAccountId } from "./serviceAccountId";

export interface WebTierArgs {
  /** Number of VMs, placed round-robin over `zones`. A whole number, 1 or more. */
  instanceCount: number;
  /** Zones to spread the VMs over; two or more survive the loss of a zone. */
  zones: string[];
  /** Compute Engine machine type, e.g. e2-medium. */
  machineType: string;
  /** Subnetwork the VMs get their (private-only) addresses from. */
  subnetwork: pulumi.Input<string>;
  /** VPC of the subnetwork; the instance groups belong to it. */
  network: pulumi.Input<string>;
  /** Host name nginx serves. */
  domain: string;
  /** Project the VMs' service account is granted its roles in. */
  project: string;
  /** Network tag the tier's firewall rules target. Default "web". */
  tag?: string;
  /** Boot image. Default debian-cloud/debian-12. */
  image?: string;
  /** Port nginx serves HTTPS on. Default 443. */
  httpsPort?: number;
  /** Path the load balancer health check requests. Default /healthz. */
  healthPath?: string;
}

/** A web VM and where it runs. */
export interface WebInstance {
  name: string;
  zone: string;
  selfLink: string;
}

/** The roles the VMs' own service account needs: writing logs and metrics, nothing else. */
export const webServiceAccountRoles = ["roles/logging.logWriter", "roles/monitoring.metricWriter"];

/**
 * Throws a whole-sentence error for arguments the tier cannot be built from. Runs before the component is
 * registered, so bad arguments leave nothing behind.
 */
export function validateWebTierArgs(name: string, args: WebTierArgs): void {
  const problem =
    !Number.isSafeInteger(args.instanceCount) || args.instanceCount < 1
      ? `instanceCount is ${args.instanceCount}; it must be a whole number of 1 or more`
      : args.zones.length === 0
        ? "zones is empty; it must list at least one zone"
        : args.machineType.trim() === ""
          ? "machineType is empty; it must name a machine type such as e2-medium"
          : undefined;
  if (problem) {
    throw new pulumi.ResourceError(`WebTier ${JSON.stringify(name)}: ${problem}.`, undefined);
  }
}

/**
 * The web tier: VMs with no public IP, Shielded VM, OS Login and only their own least-privilege service
 * account, booting nginx with TLS and the Ops Agent; one unmanaged instance group per zone feeds the load
 * balancer. No database software runs here: the database is its own tier.
 */
export class WebTier extends pulumi.ComponentResource {
  public readonly instances: pulumi.Output<WebInstance[]>;
  /** Self-links of the per-zone instance groups, for the load balancer's backend service. */
  public readonly instanceGroups: pulumi.Output<string[]>;
  public readonly serviceAccountEmail: pulumi.Output<string>;
  /** Named port ("https") the instance groups publish for the backend service. */
  public readonly namedPort: string;

  constructor(name: string, args: WebTierArgs, opts?: pulumi.ComponentResourceOptions) {
    validateWebTierArgs(name, args);
    super("foobar:web:WebTier", name, {}, opts);
    const tag = args.tag ?? "web";
    const image = args.image ?? "debian-cloud/debian-12";
    const httpsPort = args.httpsPort ?? 443;
    const healthPath = args.healthPath ?? "/healthz";
    this.namedPort = "https";

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

    const startupScript = renderStartupScript({ domain: args.domain, httpsPort, healthPath });
    const vms = Array.from({ length: args.instanceCount }, (_, i) => {
      const zone = args.zones[i % args.zones.length];
      const vm = new gcp.compute.Instance(
        `${name}-${i + 1}`,
        {
          zone,
          machineType: args.machineType,
          tags: [tag],
          labels: { tier: "web" },
          bootDisk: { initializeParams: { image, size: 20, type: "pd-balanced" } },
          // No accessConfigs: the VM has no public IP and reaches the internet through Cloud NAT.
          networkInterfaces: [{ subnetwork: args.subnetwork }],
          shieldedInstanceConfig: {
            enableSecureBoot: true,
            enableVtpm: true,
            enableIntegrityMonitoring: true,
          },
          serviceAccount: { email: account.email, scopes: ["cloud-platform"] },
          canIpForward: false,
          metadata: {
            "enable-oslogin": "TRUE",
            "block-project-ssh-keys": "true",
            "serial-port-enable": "false",
            "startup-script": startupScript,
          },
          scheduling: { automaticRestart: true, onHostMaintenance: "MIGRATE" },
          allowStoppingForUpdate: true,
        },
        // The agent writes from first boot, so the grants must exist before the VM does.
        { parent: this, dependsOn: grants },
      );
      return { vm, zone };
    });

    const zonesInUse = [...new Set(vms.map((v) => v.zone))];
    const groups = zonesInUse.map(
      (zone) =>
        new gcp.compute.InstanceGroup(
          `${name}-${zone}`,
          {
            zone,
            network: args.network,
            description: `Web VMs in ${zone}.`,
            instances: vms.filter((v) => v.zone === zone).map((v) => v.vm.selfLink),
            namedPorts: [{ name: this.namedPort, port: httpsPort }],
          },
          { parent: this },
        ),
    );

    this.instances = pulumi.all(
      vms.map(({ vm, zone }) =>
        pulumi.all([vm.name, vm.selfLink]).apply(([n, selfLink]) => ({ name: n, zone, selfLink })),
      ),
    );
    this.instanceGroups = pulumi.all(groups.map((g) => g.selfLink));
    this.serviceAccountEmail = account.email;
    this.registerOutputs({
      instances: this.instances,
      instanceGroups: this.instanceGroups,
      serviceAccountEmail: this.serviceAccountEmail,
      namedPort: this.namedPort,
    });
  }
}

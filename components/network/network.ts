import * as pulumi from "@pulumi/pulumi";
import * as gcp from "@pulumi/gcp";

export interface NetworkArgs {
  /** Region of the subnet, router and NAT. */
  region: string;
  /** Primary range of the subnet the web VMs live in. Default 10.10.0.0/24. */
  subnetCidr?: string;
  /**
   * Size of the range reserved for Google-managed services (Cloud SQL private IP), as a prefix length.
   * Default 20 (4,096 addresses, room for the primary, its standby and replicas).
   */
  privateServicesPrefixLength?: number;
}

/**
 * The stack's own VPC: a custom-mode network (never the default one) with one subnet, Cloud NAT so VMs
 * without public IPs can still fetch packages, and private services access so Cloud SQL gets a private IP.
 */
export class Network extends pulumi.ComponentResource {
  public readonly networkId: pulumi.Output<string>;
  public readonly networkSelfLink: pulumi.Output<string>;
  public readonly subnetworkId: pulumi.Output<string>;
  public readonly subnetCidr: pulumi.Output<string>;
  /** CIDR of the range peered to Google-managed services; the database lives in it. */
  public readonly privateServicesCidr: pulumi.Output<string>;
  /**
   * The peering Cloud SQL private IP needs. Cloud SQL only references the network, so callers must
   * depend on this resource explicitly or the instance is created before the peering exists.
   */
  public readonly privateServicesConnection: gcp.servicenetworking.Connection;
  /**
   * Cloud NAT, the only way out for VMs without public IPs. Anything that boots a VM must depend on it, or
   * the VM can boot before it has egress.
   */
  public readonly natGateway: gcp.compute.RouterNat;

  constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    super("foobar:network:Network", name, {}, opts);
    const subnetCidr = args.subnetCidr ?? "10.10.0.0/24";
    const prefixLength = args.privateServicesPrefixLength ?? 20;

    // Teardown. Cloud SQL keeps its side of the private services connection for up to four days after its
    // instances are deleted (https://cloud.google.com/sql/docs/delete-instance), and until then the
    // Service Networking API refuses to delete the connection ("Producer services (e.g. CloudSQL, Cloud
    // Memstore, etc.) are still using this connection"; hashicorp/terraform-provider-google#16275, #19908).
    // The provider's connection delete calls deleteConnection only (since 5.0; no removePeering fallback in
    // the provider pulumi-gcp 9.37 bundles), so the connection is abandoned, and the peering it made stays
    // on the VPC, which the Compute API then will not delete. The VPC and the peered range are therefore
    // left in place by `pulumi destroy` (they cost nothing) for the README's cleanup after the wait;
    // everything else is deleted.
    const keptAfterDestroy = { parent: this, retainOnDelete: true };

    const vpc = new gcp.compute.Network(
      `${name}-vpc`,
      {
        autoCreateSubnetworks: false,
        routingMode: "REGIONAL",
        description: "Custom-mode VPC of the foobar web stack.",
      },
      keptAfterDestroy,
    );

    const subnet = new gcp.compute.Subnetwork(
      `${name}-subnet`,
      {
        network: vpc.id,
        region: args.region,
        ipCidrRange: subnetCidr,
        privateIpGoogleAccess: true,
        logConfig: {
          aggregationInterval: "INTERVAL_5_SEC",
          flowSampling: 0.5,
          metadata: "INCLUDE_ALL_METADATA",
        },
      },
      { parent: this },
    );

    const router = new gcp.compute.Router(
      `${name}-router`,
      { network: vpc.id, region: args.region },
      { parent: this },
    );

    this.natGateway = new gcp.compute.RouterNat(
      `${name}-nat`,
      {
        router: router.name,
        region: args.region,
        natIpAllocateOption: "AUTO_ONLY",
        sourceSubnetworkIpRangesToNat: "LIST_OF_SUBNETWORKS",
        subnetworks: [{ name: subnet.id, sourceIpRangesToNats: ["ALL_IP_RANGES"] }],
        logConfig: { enable: true, filter: "ERRORS_ONLY" },
      },
      { parent: this },
    );

    const privateServicesRange = new gcp.compute.GlobalAddress(
      `${name}-private-services-range`,
      { network: vpc.id, purpose: "VPC_PEERING", addressType: "INTERNAL", prefixLength },
      keptAfterDestroy,
    );

    this.privateServicesConnection = new gcp.servicenetworking.Connection(
      `${name}-private-services-peering`,
      {
        network: vpc.id,
        service: "servicenetworking.googleapis.com",
        reservedPeeringRanges: [privateServicesRange.name],
        // See the teardown note above: deleting it fails for days after Cloud SQL goes.
        deletionPolicy: "ABANDON",
      },
      { parent: this },
    );

    this.networkId = vpc.id;
    this.networkSelfLink = vpc.selfLink;
    this.subnetworkId = subnet.id;
    this.subnetCidr = subnet.ipCidrRange;
    this.privateServicesCidr = pulumi.interpolate`${privateServicesRange.address}/${prefixLength}`;
    this.registerOutputs({
      networkId: this.networkId,
      networkSelfLink: this.networkSelfLink,
      subnetworkId: this.subnetworkId,
      subnetCidr: this.subnetCidr,
      privateServicesCidr: this.privateServicesCidr,
      privateServicesConnection: this.privateServicesConnection,
      natGateway: this.natGateway,
    });
  }
}

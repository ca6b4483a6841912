import { AddressPool, numberToIp, parseCidr } from "../net";
import { gcpTimestamp } from "../time";
import { num, str } from "../values";
import {
  COMPUTE_API,
  Computed,
  EMPTY_LABEL_FINGERPRINT,
  ResourceContext,
  cidrText,
  globalComputeResource,
  computeSelfLink,
  nameOf,
  ownerKey,
  publicIpv4,
  resourcePath,
  safeNumericId,
} from "./common";

export function network(ctx: ResourceContext): Computed {
  const name = nameOf(ctx);
  const id = `projects/${ctx.project}/global/networks/${name}`;
  const numericId = ctx.entropy.digits(19, "numericId");
  return {
    id,
    computed: {
      name,
      project: ctx.project,
      selfLink: COMPUTE_API + id,
      numericId,
      networkId: numericId,
      autoCreateSubnetworks: true,
      routingMode: "REGIONAL",
      mtu: 1460,
      gatewayIpv4: "",
      bgpBestPathSelectionMode: "LEGACY",
      networkFirewallPolicyEnforcementOrder: "AFTER_CLASSIC_FIREWALL",
      deleteDefaultRoutesOnCreate: false,
    },
  };
}

export function subnetwork(ctx: ResourceContext): Computed {
  const name = nameOf(ctx);
  const id = `projects/${ctx.project}/regions/${ctx.region}/subnetworks/${name}`;
  const selfLink = COMPUTE_API + id;
  const range = parseCidr(ctx.inputs.ipCidrRange);
  const networkReference = str(ctx.inputs.network) ?? "default";
  if (range) {
    // The network address and the gateway come first; VMs get addresses from .2 on, as in GCP.
    ctx.cloud.registerSubnet(ownerKey(ctx), [selfLink, id, name], {
      networkSelfLink: computeSelfLink(networkReference, ctx.project, "global/networks"),
      pool: new AddressPool(range, 2),
    });
  }
  return {
    id,
    computed: {
      name,
      project: ctx.project,
      region: ctx.region,
      selfLink,
      gatewayAddress: range ? numberToIp(range.base + 1) : "",
      creationTimestamp: gcpTimestamp(ctx.now),
      fingerprint: ctx.entropy.base64(8, "fingerprint"),
      subnetworkId: safeNumericId(ctx.entropy, "subnetworkId"),
      stackType: "IPV4_ONLY",
      purpose: "PRIVATE",
      privateIpGoogleAccess: false,
      privateIpv6GoogleAccess: "DISABLE_GOOGLE_ACCESS",
      secondaryIpRanges: [],
      state: "",
    },
  };
}

export function router(ctx: ResourceContext): Computed {
  const name = nameOf(ctx);
  const id = `projects/${ctx.project}/regions/${ctx.region}/routers/${name}`;
  return {
    id,
    computed: {
      name,
      project: ctx.project,
      region: ctx.region,
      selfLink: COMPUTE_API + id,
      creationTimestamp: gcpTimestamp(ctx.now),
      encryptedInterconnectRouter: false,
    },
  };
}

export function routerNat(ctx: ResourceContext): Computed {
  const name = nameOf(ctx);
  const routerReference = str(ctx.inputs.router) ?? "router";
  const routerName = routerReference.slice(routerReference.lastIndexOf("/") + 1);
  return {
    id: `projects/${ctx.project}/regions/${ctx.region}/routers/${routerName}/${name}`,
    computed: {
      name,
      project: ctx.project,
      region: ctx.region,
      natIps: [],
      drainNatIps: [],
      autoNetworkTier: "PREMIUM",
      endpointTypes: ["ENDPOINT_TYPE_VM"],
      type: "PUBLIC",
      enableEndpointIndependentMapping: false,
      enableDynamicPortAllocation: false,
      minPortsPerVm: 64,
      udpIdleTimeoutSec: 30,
      icmpIdleTimeoutSec: 30,
      tcpEstablishedIdleTimeoutSec: 1200,
      tcpTransitoryIdleTimeoutSec: 30,
      tcpTimeWaitTimeoutSec: 120,
    },
  };
}

export function globalAddress(ctx: ResourceContext): Computed {
  const name = nameOf(ctx);
  const id = `projects/${ctx.project}/global/addresses/${name}`;
  const selfLink = COMPUTE_API + id;
  const purpose = str(ctx.inputs.purpose);
  const given = str(ctx.inputs.address);
  let address: string;
  let prefixLength = num(ctx.inputs.prefixLength);
  if (purpose === "VPC_PEERING") {
    // A private-services range: the start of a free RFC 1918 block of the requested size.
    const range = given
      ? { base: parseCidr(`${given}/${prefixLength ?? 16}`)!.base, prefixLength: prefixLength ?? 16 }
      : ctx.cloud.reservePrivateRange(ownerKey(ctx), prefixLength ?? 16, ctx.entropy);
    if (given) {
      ctx.cloud.claim(ownerKey(ctx), range);
    }
    prefixLength = range.prefixLength;
    address = numberToIp(range.base);
    const networkReference = str(ctx.inputs.network);
    if (networkReference) {
      // Cloud SQL's first address in a peering range is .3 (the network, gateway and one reserved before it).
      const pool = new AddressPool(parseCidr(cidrText(range))!, 3);
      ctx.cloud.peeringRanges.register(
        [
          networkReference,
          computeSelfLink(networkReference, ctx.project, "global/networks"),
          resourcePath(networkReference, ctx.project, "global/networks"),
        ],
        pool,
      );
    }
  } else {
    address = given ?? publicIpv4(ctx.entropy, "address");
  }
  return {
    id,
    computed: {
      name,
      project: ctx.project,
      selfLink,
      address,
      addressType:
        purpose === "VPC_PEERING" || purpose === "PRIVATE_SERVICE_CONNECT" ? "INTERNAL" : "EXTERNAL",
      prefixLength: prefixLength ?? 0,
      creationTimestamp: gcpTimestamp(ctx.now),
      labelFingerprint: EMPTY_LABEL_FINGERPRINT,
      ipVersion: "",
    },
  };
}

export function serviceNetworkingConnection(ctx: ResourceContext): Computed {
  const networkPath = resourcePath(str(ctx.inputs.network) ?? "default", ctx.project, "global/networks");
  const service = str(ctx.inputs.service) ?? "servicenetworking.googleapis.com";
  return {
    id: `${encodeURIComponent(networkPath)}:${service}`,
    computed: { peering: "servicenetworking-googleapis-com", service },
  };
}

export function firewall(ctx: ResourceContext): Computed {
  return globalComputeResource(ctx, "firewalls", {
    direction: "INGRESS",
    priority: 1000,
    disabled: false,
    enableLogging: ctx.inputs.logConfig !== undefined,
    destinationRanges: [],
    sourceRanges: [],
  });
}

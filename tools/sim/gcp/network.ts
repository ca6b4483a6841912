import { AddressPool, numberToIp, parseCidr } from "../net";
import { num, str } from "../values";
import {
  Computed,
  EMPTY_LABEL_FINGERPRINT,
  ResourceContext,
  computeResource,
  lastPathSegment,
  nameOf,
  networkPath,
  ownerKey,
  publicIpv4,
  safeNumericId,
} from "./common";

export function network(ctx: ResourceContext): Computed {
  const numericId = ctx.entropy.digits(19, "numericId");
  return computeResource(ctx, "networks", {
    creationTimestamp: undefined, // a network has none
    numericId,
    networkId: numericId,
    autoCreateSubnetworks: true,
    routingMode: "REGIONAL",
    mtu: 1460,
    gatewayIpv4: "",
    bgpBestPathSelectionMode: "LEGACY",
    networkFirewallPolicyEnforcementOrder: "AFTER_CLASSIC_FIREWALL",
    deleteDefaultRoutesOnCreate: false,
  });
}

export function subnetwork(ctx: ResourceContext): Computed {
  const range = parseCidr(ctx.inputs.ipCidrRange);
  if (range) {
    // A private-services range reserved later must not overlap it.
    ctx.cloud.claim(ownerKey(ctx), range);
  }
  return computeResource(
    ctx,
    "subnetworks",
    {
      // The network address comes first, then the gateway, as in GCP.
      gatewayAddress: range ? numberToIp(range.base + 1) : "",
      fingerprint: ctx.entropy.base64(8, "fingerprint"),
      subnetworkId: safeNumericId(ctx.entropy, "subnetworkId"),
      stackType: "IPV4_ONLY",
      purpose: "PRIVATE",
      privateIpGoogleAccess: false,
      privateIpv6GoogleAccess: "DISABLE_GOOGLE_ACCESS",
      secondaryIpRanges: [],
      state: "",
    },
    true,
  );
}

export function router(ctx: ResourceContext): Computed {
  return computeResource(ctx, "routers", { encryptedInterconnectRouter: false }, true);
}

export function routerNat(ctx: ResourceContext): Computed {
  const name = nameOf(ctx);
  const routerName = lastPathSegment(str(ctx.inputs.router) ?? "router");
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
  const purpose = str(ctx.inputs.purpose);
  const given = str(ctx.inputs.address);
  let address = given ?? "";
  let prefixLength = num(ctx.inputs.prefixLength);
  if (purpose === "VPC_PEERING") {
    // A private-services range: the start of a free RFC 1918 block of the requested size.
    const range = given
      ? parseCidr(`${given}/${prefixLength ?? 16}`)!
      : ctx.cloud.reservePrivateRange(ownerKey(ctx), prefixLength ?? 16, ctx.entropy);
    ctx.cloud.claim(ownerKey(ctx), range);
    prefixLength = range.prefixLength;
    address = numberToIp(range.base);
    const networkReference = str(ctx.inputs.network);
    if (networkReference) {
      // Cloud SQL's first address in a peering range is .3 (the network, gateway and one reserved before it).
      ctx.cloud.peeringPools.set(networkPath(networkReference, ctx.project), new AddressPool(range, 3));
    }
  } else {
    address ||= publicIpv4(ctx.entropy, "address");
  }
  return computeResource(ctx, "addresses", {
    address,
    addressType: purpose === "VPC_PEERING" || purpose === "PRIVATE_SERVICE_CONNECT" ? "INTERNAL" : "EXTERNAL",
    prefixLength: prefixLength ?? 0,
    labelFingerprint: EMPTY_LABEL_FINGERPRINT,
    ipVersion: "",
  });
}

export function serviceNetworkingConnection(ctx: ResourceContext): Computed {
  const path = networkPath(str(ctx.inputs.network) ?? "default", ctx.project);
  const service = str(ctx.inputs.service) ?? "servicenetworking.googleapis.com";
  return {
    id: `${encodeURIComponent(path)}:${service}`,
    computed: { peering: "servicenetworking-googleapis-com", service },
  };
}

export function firewall(ctx: ResourceContext): Computed {
  return computeResource(ctx, "firewalls", {
    direction: "INGRESS",
    priority: 1000,
    disabled: false,
    enableLogging: ctx.inputs.logConfig !== undefined,
    destinationRanges: [],
    sourceRanges: [],
  });
}

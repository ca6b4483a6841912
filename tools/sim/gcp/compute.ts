import { X509Certificate } from "node:crypto";
import { addHours, gcpTimestamp } from "../time";
import { Props, list, obj, str } from "../values";
import {
  COMPUTE_API,
  Computed,
  EMPTY_LABEL_FINGERPRINT,
  ResourceContext,
  globalComputeResource,
  computeSelfLink,
  nameOf,
  publicIpv4,
  regionZones,
  safeNumericId,
  zoneRegion,
} from "./common";

/** The CPU platform Compute Engine reports for a machine family's default platform. */
const CPU_PLATFORMS: Record<string, string> = {
  e2: "Intel Broadwell",
  n1: "Intel Broadwell",
  n2: "Intel Cascade Lake",
  n2d: "AMD Rome",
  n4: "Intel Emerald Rapids",
  c2: "Intel Cascade Lake",
  c2d: "AMD Milan",
  c3: "Intel Sapphire Rapids",
  c3d: "AMD Genoa",
  t2d: "AMD Milan",
};

function machineFamily(machineType: string | undefined): string {
  const bare = (machineType ?? "e2-medium").slice((machineType ?? "").lastIndexOf("/") + 1);
  return bare.split("-")[0];
}

export function instance(ctx: ResourceContext): Computed {
  const name = nameOf(ctx);
  const zone = str(ctx.inputs.zone) ?? regionZones(ctx.region)[0];
  const id = `projects/${ctx.project}/zones/${zone}/instances/${name}`;
  const selfLink = COMPUTE_API + id;
  const interfaces = list(ctx.inputs.networkInterfaces).map((element, i) => {
    const given = obj(element);
    const subnet = ctx.cloud.findSubnet(given.subnetwork);
    const networkIp =
      str(given.networkIp) ??
      (subnet?.pool ?? ctx.cloud.defaultPool(`auto/${zoneRegion(zone)}`, "10.128.0.0/20", 2)).allocate(
        `${id}#${i}`,
      );
    const network =
      str(given.network) ??
      subnet?.networkSelfLink ??
      `${COMPUTE_API}projects/${ctx.project}/global/networks/default`;
    return {
      name: `nic${i}`,
      networkIp,
      network: computeSelfLink(network, ctx.project, "global/networks"),
      subnetworkProject: ctx.project,
      stackType: "IPV4_ONLY",
      queueCount: 0,
      accessConfigs: list(given.accessConfigs).map((_, j) => ({
        natIp: publicIpv4(ctx.entropy, `natIp/${i}/${j}`),
        networkTier: "PREMIUM",
      })),
    };
  });
  const machineType = str(ctx.inputs.machineType);
  return {
    id,
    computed: {
      name,
      project: ctx.project,
      zone,
      selfLink,
      instanceId: ctx.entropy.digits(19, "instanceId"),
      currentStatus: "RUNNING",
      cpuPlatform: CPU_PLATFORMS[machineFamily(machineType)] ?? "Intel Broadwell",
      creationTimestamp: gcpTimestamp(ctx.now),
      networkInterfaces: interfaces,
      bootDisk: {
        autoDelete: true,
        deviceName: "persistent-disk-0",
        mode: "READ_WRITE",
        source: `${COMPUTE_API}projects/${ctx.project}/zones/${zone}/disks/${name}`,
        initializeParams: { size: 10, type: "pd-balanced" },
      },
      scheduling: {
        automaticRestart: true,
        onHostMaintenance: "MIGRATE",
        preemptible: false,
        provisioningModel: "STANDARD",
      },
      metadataFingerprint: ctx.entropy.base64(8, "metadataFingerprint"),
      labelFingerprint: EMPTY_LABEL_FINGERPRINT,
      tagsFingerprint: ctx.entropy.base64(8, "tagsFingerprint"),
      deletionProtection: false,
      canIpForward: false,
      hostname: "",
    },
  };
}

const HEALTH_CHECK_KINDS: ReadonlyArray<[string, string, number]> = [
  ["httpsHealthCheck", "HTTPS", 443],
  ["httpHealthCheck", "HTTP", 80],
  ["http2HealthCheck", "HTTP2", 443],
  ["tcpHealthCheck", "TCP", 80],
  ["sslHealthCheck", "SSL", 443],
  ["grpcHealthCheck", "GRPC", 0],
];

export function healthCheck(ctx: ResourceContext): Computed {
  const name = nameOf(ctx);
  const id = `projects/${ctx.project}/global/healthChecks/${name}`;
  const computed: Props = {
    name,
    project: ctx.project,
    selfLink: COMPUTE_API + id,
    creationTimestamp: gcpTimestamp(ctx.now),
    checkIntervalSec: 5,
    timeoutSec: 5,
    healthyThreshold: 2,
    unhealthyThreshold: 2,
    logConfig: { enable: false },
  };
  for (const [key, type, defaultPort] of HEALTH_CHECK_KINDS) {
    const block = ctx.inputs[key];
    if (block !== undefined) {
      computed.type = type;
      const given = obj(block);
      const usesServingPort =
        str(given.portSpecification) !== undefined && given.portSpecification !== "USE_FIXED_PORT";
      computed[key] = {
        ...(usesServingPort ? {} : { port: defaultPort }),
        proxyHeader: "NONE",
        ...(type.startsWith("HTTP") ? { requestPath: "/" } : {}),
      };
    }
  }
  return { id, computed };
}

export function backendService(ctx: ResourceContext): Computed {
  return globalComputeResource(ctx, "backendServices", {
    generatedId: safeNumericId(ctx.entropy, "generatedId"),
    fingerprint: ctx.entropy.base64(8, "fingerprint"),
    loadBalancingScheme: "EXTERNAL",
    protocol: "HTTP",
    portName: "http",
    timeoutSec: 30,
    sessionAffinity: "NONE",
    connectionDrainingTimeoutSec: 300,
    backends: list(ctx.inputs.backends).map(() => ({
      balancingMode: "UTILIZATION",
      capacityScaler: 1,
      maxUtilization: 0.8,
    })),
  });
}

export function urlMap(ctx: ResourceContext): Computed {
  return globalComputeResource(ctx, "urlMaps", {
    mapId: safeNumericId(ctx.entropy, "mapId"),
    fingerprint: ctx.entropy.base64(8, "fingerprint"),
  });
}

export function targetHttpsProxy(ctx: ResourceContext): Computed {
  return globalComputeResource(ctx, "targetHttpsProxies", {
    proxyId: safeNumericId(ctx.entropy, "proxyId"),
    fingerprint: ctx.entropy.base64(8, "fingerprint"),
    quicOverride: "NONE",
    tlsEarlyData: "DISABLED",
    proxyBind: false,
  });
}

export function targetHttpProxy(ctx: ResourceContext): Computed {
  return globalComputeResource(ctx, "targetHttpProxies", {
    proxyId: safeNumericId(ctx.entropy, "proxyId"),
    fingerprint: ctx.entropy.base64(8, "fingerprint"),
    proxyBind: false,
  });
}

const RESTRICTED_FEATURES = [
  "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
  "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
  "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
  "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
  "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
  "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
];
const MODERN_FEATURES = [
  ...RESTRICTED_FEATURES,
  "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA",
  "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA",
  "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
  "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
];
const COMPATIBLE_FEATURES = [
  ...MODERN_FEATURES,
  "TLS_RSA_WITH_AES_128_GCM_SHA256",
  "TLS_RSA_WITH_AES_256_GCM_SHA384",
  "TLS_RSA_WITH_AES_128_CBC_SHA",
  "TLS_RSA_WITH_AES_256_CBC_SHA",
  "TLS_RSA_WITH_3DES_EDE_CBC_SHA",
];

/** The cipher features a profile enables, sorted as the Compute API returns them. */
export function sslPolicyFeatures(profile: string, customFeatures: readonly string[]): string[] {
  const features =
    profile === "RESTRICTED"
      ? RESTRICTED_FEATURES
      : profile === "MODERN"
        ? MODERN_FEATURES
        : profile === "CUSTOM"
          ? customFeatures
          : COMPATIBLE_FEATURES;
  return [...features].sort();
}

export function sslPolicy(ctx: ResourceContext): Computed {
  const profile = str(ctx.inputs.profile) ?? "COMPATIBLE";
  const custom = list(ctx.inputs.customFeatures).filter((f): f is string => typeof f === "string");
  return globalComputeResource(ctx, "sslPolicies", {
    profile,
    minTlsVersion: "TLS_1_0",
    enabledFeatures: sslPolicyFeatures(profile, custom),
    customFeatures: [],
    fingerprint: ctx.entropy.base64(8, "fingerprint"),
  });
}

export function managedSslCertificate(ctx: ResourceContext): Computed {
  const domains = list(obj(ctx.inputs.managed).domains).filter((d): d is string => typeof d === "string");
  return globalComputeResource(ctx, "sslCertificates", {
    certificateId: safeNumericId(ctx.entropy, "certificateId"),
    subjectAlternativeNames: domains,
    expireTime: gcpTimestamp(addHours(ctx.now, 90 * 24)),
    type: "MANAGED",
  });
}

export function sslCertificate(ctx: ResourceContext): Computed {
  let expireTime = addHours(ctx.now, 365 * 24);
  const pem = str(ctx.inputs.certificate);
  if (pem) {
    try {
      expireTime = new Date(new X509Certificate(pem).validTo);
    } catch {
      // The real API would reject the certificate; the simulator keeps the default so plans still run.
    }
  }
  return globalComputeResource(ctx, "sslCertificates", {
    certificateId: safeNumericId(ctx.entropy, "certificateId"),
    expireTime: gcpTimestamp(expireTime),
  });
}

export function globalForwardingRule(ctx: ResourceContext): Computed {
  const scheme = str(ctx.inputs.loadBalancingScheme) ?? "EXTERNAL";
  return globalComputeResource(ctx, "forwardingRules", {
    ipAddress: publicIpv4(ctx.entropy, "ipAddress"),
    ipProtocol: "TCP",
    forwardingRuleId: safeNumericId(ctx.entropy, "forwardingRuleId"),
    labelFingerprint: EMPTY_LABEL_FINGERPRINT,
    loadBalancingScheme: scheme,
    networkTier: scheme.startsWith("INTERNAL") ? "" : "PREMIUM",
    pscConnectionId: "",
    pscConnectionStatus: "",
    baseForwardingRule: "",
  });
}

export function instanceTemplate(ctx: ResourceContext): Computed {
  const template = globalComputeResource(ctx, "instanceTemplates", {
    metadataFingerprint: ctx.entropy.base64(8, "metadataFingerprint"),
    tagsFingerprint: ctx.entropy.base64(8, "tagsFingerprint"),
  });
  // As the google provider sets it: the relative ID plus the template's numeric ID
  // (resource_compute_instance_template.go, create: `%v?uniqueId=%v`).
  const selfLinkUnique = `${template.id}?uniqueId=${ctx.entropy.digits(19, "id")}`;
  return { id: template.id, computed: { ...template.computed, selfLinkUnique } };
}

/**
 * A regional managed instance group. The group it manages is an instance group of the same name in the
 * region, which backend services take as their backend.
 */
export function regionInstanceGroupManager(ctx: ResourceContext): Computed {
  const name = nameOf(ctx);
  const id = `projects/${ctx.project}/regions/${ctx.region}/instanceGroupManagers/${name}`;
  const zones = list(ctx.inputs.distributionPolicyZones).filter((z): z is string => typeof z === "string");
  return {
    id,
    computed: {
      name,
      project: ctx.project,
      region: ctx.region,
      selfLink: COMPUTE_API + id,
      instanceGroup: `${COMPUTE_API}projects/${ctx.project}/regions/${ctx.region}/instanceGroups/${name}`,
      instanceGroupManagerId: safeNumericId(ctx.entropy, "instanceGroupManagerId"),
      fingerprint: ctx.entropy.base64(8, "fingerprint"),
      creationTimestamp: gcpTimestamp(ctx.now),
      distributionPolicyZones: zones.length > 0 ? zones : regionZones(ctx.region).slice(0, 3),
      distributionPolicyTargetShape: "EVEN",
      targetSize: 0,
      listManagedInstancesResults: "PAGELESS",
      statuses: [
        {
          isStable: true,
          versionTargets: [{ isReached: true }],
          allInstancesConfigs: [],
          statefuls: [{ hasStatefulConfig: false, perInstanceConfigs: [{ allEffective: true }] }],
        },
      ],
    },
  };
}

export function securityPolicy(ctx: ResourceContext): Computed {
  return globalComputeResource(ctx, "securityPolicies", {
    fingerprint: ctx.entropy.base64(8, "fingerprint"),
    type: "CLOUD_ARMOR",
  });
}

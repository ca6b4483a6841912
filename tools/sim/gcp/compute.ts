import { X509Certificate } from "node:crypto";
import { addHours, gcpTimestamp } from "../time";
import { list, obj, str } from "../values";
import {
  COMPUTE_API,
  Computed,
  EMPTY_LABEL_FINGERPRINT,
  ResourceContext,
  computeResource,
  nameOf,
  publicIpv4,
  regionZones,
  safeNumericId,
} from "./common";

/** A health check. The program's are HTTPS checks; the API fills in the rest of the block. */
export function healthCheck(ctx: ResourceContext): Computed {
  const https = ctx.inputs.httpsHealthCheck !== undefined;
  return computeResource(ctx, "healthChecks", {
    checkIntervalSec: 5,
    timeoutSec: 5,
    healthyThreshold: 2,
    unhealthyThreshold: 2,
    logConfig: { enable: false },
    ...(https
      ? { type: "HTTPS", httpsHealthCheck: { port: 443, proxyHeader: "NONE", requestPath: "/" } }
      : {}),
  });
}

export function backendService(ctx: ResourceContext): Computed {
  return computeResource(ctx, "backendServices", {
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
  return computeResource(ctx, "urlMaps", {
    mapId: safeNumericId(ctx.entropy, "mapId"),
    fingerprint: ctx.entropy.base64(8, "fingerprint"),
  });
}

export function targetHttpsProxy(ctx: ResourceContext): Computed {
  return computeResource(ctx, "targetHttpsProxies", {
    proxyId: safeNumericId(ctx.entropy, "proxyId"),
    fingerprint: ctx.entropy.base64(8, "fingerprint"),
    quicOverride: "NONE",
    tlsEarlyData: "DISABLED",
    proxyBind: false,
  });
}

export function targetHttpProxy(ctx: ResourceContext): Computed {
  return computeResource(ctx, "targetHttpProxies", {
    proxyId: safeNumericId(ctx.entropy, "proxyId"),
    fingerprint: ctx.entropy.base64(8, "fingerprint"),
    proxyBind: false,
  });
}

const RESTRICTED = [
  "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
  "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
  "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
  "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
  "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
  "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
];
const MODERN = [
  ...RESTRICTED,
  "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA",
  "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA",
  "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
  "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
];
const COMPATIBLE = [
  ...MODERN,
  "TLS_RSA_WITH_AES_128_GCM_SHA256",
  "TLS_RSA_WITH_AES_256_GCM_SHA384",
  "TLS_RSA_WITH_AES_128_CBC_SHA",
  "TLS_RSA_WITH_AES_256_CBC_SHA",
  "TLS_RSA_WITH_3DES_EDE_CBC_SHA",
];
/** The cipher features each pre-defined profile enables (a CUSTOM one's are its input). */
const PROFILE_FEATURES: Record<string, string[]> = { RESTRICTED, MODERN, COMPATIBLE };

export function sslPolicy(ctx: ResourceContext): Computed {
  const profile = str(ctx.inputs.profile) ?? "COMPATIBLE";
  const custom = list(ctx.inputs.customFeatures).filter((f): f is string => typeof f === "string");
  return computeResource(ctx, "sslPolicies", {
    profile,
    minTlsVersion: "TLS_1_0",
    // Sorted, as the Compute API returns them.
    enabledFeatures: [...(profile === "CUSTOM" ? custom : (PROFILE_FEATURES[profile] ?? []))].sort(),
    customFeatures: custom,
    fingerprint: ctx.entropy.base64(8, "fingerprint"),
  });
}

export function managedSslCertificate(ctx: ResourceContext): Computed {
  const domains = list(obj(ctx.inputs.managed).domains).filter((d): d is string => typeof d === "string");
  return computeResource(ctx, "sslCertificates", {
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
  return computeResource(ctx, "sslCertificates", {
    certificateId: safeNumericId(ctx.entropy, "certificateId"),
    expireTime: gcpTimestamp(expireTime),
  });
}

export function globalForwardingRule(ctx: ResourceContext): Computed {
  const scheme = str(ctx.inputs.loadBalancingScheme) ?? "EXTERNAL";
  return computeResource(ctx, "forwardingRules", {
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
  const template = computeResource(ctx, "instanceTemplates", {
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
  const zones = list(ctx.inputs.distributionPolicyZones).filter((z): z is string => typeof z === "string");
  const group = `${COMPUTE_API}projects/${ctx.project}/regions/${ctx.region}/instanceGroups/${nameOf(ctx)}`;
  return computeResource(
    ctx,
    "instanceGroupManagers",
    {
      instanceGroup: group,
      instanceGroupManagerId: safeNumericId(ctx.entropy, "instanceGroupManagerId"),
      fingerprint: ctx.entropy.base64(8, "fingerprint"),
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
    true,
  );
}

export function securityPolicy(ctx: ResourceContext): Computed {
  return computeResource(ctx, "securityPolicies", {
    fingerprint: ctx.entropy.base64(8, "fingerprint"),
    type: "CLOUD_ARMOR",
  });
}

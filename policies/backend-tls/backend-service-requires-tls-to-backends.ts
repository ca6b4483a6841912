import * as gcp from "@pulumi/gcp";
import {
  ReportViolation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  validateResourceOfType,
} from "@pulumi/policy";
import { isAbsent, quote } from "../lib/values";

/** Protocols with which the load balancer speaks plaintext to the backends after terminating the client's TLS. */
const PLAINTEXT_PROTOCOLS = ["HTTP", "H2C", "GRPC"];

/** Regional schemes that proxy (and so terminate) the client's connection; the others pass packets through. */
const PROXY_SCHEMES = ["EXTERNAL_MANAGED", "INTERNAL_MANAGED", "INTERNAL_SELF_MANAGED"];

function checkProtocol(
  protocol: string | undefined,
  args: ResourceValidationArgs,
  report: ReportViolation,
): void {
  const value = (protocol ?? "HTTP").toUpperCase();
  if (!PLAINTEXT_PROTOCOLS.includes(value)) return;
  const shown = isAbsent(protocol) ? "no protocol, which means HTTP" : `protocol "${value}"`;
  report(
    `Backend service ${quote(args.name)} has ${shown}, so traffic leaves the load balancer unencrypted; ` +
      'set protocol to "HTTPS" (or "HTTP2") and serve TLS on the backends.',
  );
}

export const backendServiceRequiresTlsToBackends: ResourceValidationPolicy = {
  name: "gcp-backend-service-requires-tls-to-backends",
  severity: "high",
  remediationSteps:
    "Set protocol: HTTPS (or HTTP2) on the backend service, and serve TLS on the backends' named port.",
  url: "https://cloud.google.com/load-balancing/docs/ssl-certificates/encryption-to-the-backends",
  description:
    "No TLS termination at the load balancer: backend services speak HTTPS or HTTP/2 over TLS to the servers, so traffic stays encrypted from the load balancer to each backend.",
  validateResource: [
    validateResourceOfType(gcp.compute.BackendService, (service, args, report) =>
      checkProtocol(service.protocol, args, report),
    ),
    validateResourceOfType(gcp.compute.RegionBackendService, (service, args, report) => {
      const scheme = (service.loadBalancingScheme ?? "INTERNAL").toUpperCase();

      if (PROXY_SCHEMES.includes(scheme)) checkProtocol(service.protocol, args, report);
    }),
  ],
};

import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { StackIndex } from "../lib/stack";
import { T } from "../lib/types";
import { isAbsent, isUnknown, list, quote, record, text } from "../lib/values";

const HEALTH_CHECK_TYPES = [T.healthCheck, T.regionHealthCheck, T.httpHealthCheck, T.httpsHealthCheck];
const NEG_TYPES = [T.networkEndpointGroup, T.globalNetworkEndpointGroup, T.regionNetworkEndpointGroup];
const TLS_HEALTH_CHECK_BLOCKS = [
  "httpsHealthCheck",
  "http2HealthCheck",
  "sslHealthCheck",
  "grpcTlsHealthCheck",
];
const PLAIN_HEALTH_CHECK_BLOCKS = ["httpHealthCheck", "tcpHealthCheck", "grpcHealthCheck"];

/** Whether a health check probes over TLS: "yes", "no", or "unknown". */
function probesOverTls(index: StackIndex, check: PolicyResource): "yes" | "no" | "unknown" {
  if (check.type === T.httpsHealthCheck) return "yes";
  if (check.type === T.httpHealthCheck) return "no";
  const props = index.props(check);
  if ([...TLS_HEALTH_CHECK_BLOCKS, ...PLAIN_HEALTH_CHECK_BLOCKS].some((block) => isUnknown(props[block]))) {
    return "unknown";
  }
  return TLS_HEALTH_CHECK_BLOCKS.some((block) => !isAbsent(props[block])) ? "yes" : "no";
}

/** True when every backend of a service is a network endpoint group (serverless NEGs take no health check). */
function onlyEndpointGroups(index: StackIndex, service: PolicyResource): boolean {
  const backends = list(index.props(service).backends) ?? [];
  if (backends.length === 0) return false;
  return backends.every((entry) => {
    const group = record(entry)?.group;
    const ref = text(group);
    if (ref !== undefined && /\/networkEndpointGroups\//.test(ref)) return true;
    return index.resolve(service, "backends", group, NEG_TYPES).found.length > 0;
  });
}

export const backendServiceRequiresTlsHealthCheck: StackValidationPolicy = {
  name: "gcp-backend-service-requires-tls-health-check",
  severity: "medium",
  remediationSteps:
    "Put a HealthCheck with httpsHealthCheck (or http2HealthCheck or sslHealthCheck) in the backend service's healthChecks.",
  url: "https://cloud.google.com/load-balancing/docs/health-check-concepts",
  description:
    "No TLS termination at the load balancer: backend services health-check their servers over TLS (HTTPS, HTTP/2 or SSL), the same way they send traffic.",
  validateStack: (args, report) => {
    const index = StackIndex.of(args.resources);
    const services = index.ofType(T.backendService, T.regionBackendService);
    if (services.length === 0) args.notApplicable("The stack has no backend service.");
    for (const service of services) {
      const props = index.props(service);
      const resolution = index.resolve(service, "healthChecks", props.healthChecks, HEALTH_CHECK_TYPES);
      if (resolution.found.length === 0) {
        if (resolution.unknown || resolution.external.length > 0 || onlyEndpointGroups(index, service))
          continue;
        report(
          `Backend service ${quote(service.name)} has no health check; add an HTTPS health check (httpsHealthCheck) and set it in healthChecks.`,
          service.urn,
        );
        continue;
      }
      for (const check of resolution.found) {
        if (probesOverTls(index, check) !== "no") continue;
        report(
          `Backend service ${quote(service.name)} uses health check ${quote(check.name)}, which probes the servers without TLS; ` +
            "use a health check with an httpsHealthCheck (or http2HealthCheck) block instead.",
          service.urn,
        );
      }
    }
  },
};

import * as gcp from "@pulumi/gcp";
import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { propsAs, StackIndex } from "../lib/stack";
import { T } from "../lib/types";
import { elementsOf, known } from "../lib/unknowns";
import { isAbsent, quote } from "../lib/values";

const HEALTH_CHECK_TYPES = [T.healthCheck, T.regionHealthCheck, T.httpHealthCheck, T.httpsHealthCheck];
const NEG_TYPES = [T.networkEndpointGroup, T.globalNetworkEndpointGroup, T.regionNetworkEndpointGroup];

/** Whether a health check probes over TLS (HTTPS, HTTP/2, SSL or gRPC with TLS). */
function probesOverTls(check: PolicyResource): boolean {
  if (check.type === T.httpsHealthCheck) return true;
  if (check.type === T.httpHealthCheck) return false;
  const props = propsAs(check, gcp.compute.HealthCheck);
  return [
    props.httpsHealthCheck,
    props.http2HealthCheck,
    props.sslHealthCheck,
    props.grpcTlsHealthCheck,
  ].some((block) => !isAbsent(block));
}

/** True when every backend of a service is a network endpoint group (serverless NEGs take no health check). */
function onlyEndpointGroups(index: StackIndex, service: PolicyResource): boolean {
  const backends = known(() => propsAs(service, gcp.compute.BackendService).backends);
  if (!Array.isArray(backends) || backends.length === 0) return false;
  return elementsOf(backends).every((backend) => {
    const group = () => backend().group;
    const ref = known(group);
    if (typeof ref === "string" && /\/networkEndpointGroups\//.test(ref)) return true;
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
      const props = propsAs(service, gcp.compute.BackendService);
      const resolution = index.resolve(service, "healthChecks", () => props.healthChecks, HEALTH_CHECK_TYPES);
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
        // A health check whose kind is not known yet may be a TLS one.
        if (known(() => probesOverTls(check)) !== false) continue;
        report(
          `Backend service ${quote(service.name)} uses health check ${quote(check.name)}, which probes the servers without TLS; ` +
            "use a health check with an httpsHealthCheck (or http2HealthCheck) block instead.",
          service.urn,
        );
      }
    }
  },
};

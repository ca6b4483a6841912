/** No TLS termination at the load balancer: traffic stays encrypted to the backends. */
import { answering } from "../concerns";
import { backendServiceRequiresTlsHealthCheck } from "./backend-service-requires-tls-health-check";
import { backendServiceRequiresTlsToBackends } from "./backend-service-requires-tls-to-backends";

export { backendServiceRequiresTlsHealthCheck, backendServiceRequiresTlsToBackends };

export const backendTlsPolicies = answering("backend-tls", [
  backendServiceRequiresTlsToBackends,
  backendServiceRequiresTlsHealthCheck,
]);

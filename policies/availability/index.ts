/** No single point of failure in front (the load balancer) or behind (the servers). */
import { backendPoolRequiresTwoZones } from "./backend-pool-requires-two-zones";
import { loadBalancerRequiresGlobalManaged } from "./load-balancer-requires-global-managed";

export { backendPoolRequiresTwoZones, loadBalancerRequiresGlobalManaged };

export const availabilityPolicies = [backendPoolRequiresTwoZones, loadBalancerRequiresGlobalManaged];

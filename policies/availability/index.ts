/** No single point of failure in front (the load balancer) or behind (the servers), and servers that heal. */
import { answering } from "../concerns";
import { backendPoolRequiresTwoZones } from "./backend-pool-requires-two-zones";
import { loadBalancerRequiresGlobalManaged } from "./load-balancer-requires-global-managed";
import { managedGroupRequiresAutohealing } from "./managed-group-requires-autohealing";
import { managedGroupRequiresCapacitySafeUpdate } from "./managed-group-requires-capacity-safe-update";

export {
  backendPoolRequiresTwoZones,
  loadBalancerRequiresGlobalManaged,
  managedGroupRequiresAutohealing,
  managedGroupRequiresCapacitySafeUpdate,
};

export const availabilityPolicies = answering("availability", [
  backendPoolRequiresTwoZones,
  loadBalancerRequiresGlobalManaged,
  managedGroupRequiresAutohealing,
  managedGroupRequiresCapacitySafeUpdate,
]);

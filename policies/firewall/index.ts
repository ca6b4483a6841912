/** A firewall in front of every server. */
import { disallowDefaultNetwork } from "./disallow-default-network";
import { firewallDisallowWorldIngressToSensitivePorts } from "./firewall-disallow-world-ingress-to-sensitive-ports";
import { vmCoveredByTierFirewallRules } from "./vm-covered-by-tier-firewall-rules";

export { disallowDefaultNetwork, firewallDisallowWorldIngressToSensitivePorts, vmCoveredByTierFirewallRules };

export const firewallPolicies = [
  firewallDisallowWorldIngressToSensitivePorts,
  vmCoveredByTierFirewallRules,
  disallowDefaultNetwork,
];

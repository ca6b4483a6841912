/** A firewall in front of every server, and a web application firewall in front of the site. */
import { answering } from "../concerns";
import { backendServiceRequiresWafPolicy } from "./backend-service-requires-waf-policy";
import { disallowDefaultNetwork } from "./disallow-default-network";
import { firewallDisallowPublicIngress } from "./firewall-disallow-public-ingress";
import { firewallDisallowWidePortRanges } from "./firewall-disallow-wide-port-ranges";
import { firewallDisallowWorldIngressToSensitivePorts } from "./firewall-disallow-world-ingress-to-sensitive-ports";
import { networkRequiresCustomSubnetMode } from "./network-requires-custom-subnet-mode";
import { vmCoveredByTierFirewallRules } from "./vm-covered-by-tier-firewall-rules";

export {
  backendServiceRequiresWafPolicy,
  disallowDefaultNetwork,
  firewallDisallowPublicIngress,
  firewallDisallowWidePortRanges,
  firewallDisallowWorldIngressToSensitivePorts,
  networkRequiresCustomSubnetMode,
  vmCoveredByTierFirewallRules,
};

export const firewallPolicies = answering("firewall", [
  firewallDisallowWorldIngressToSensitivePorts,
  firewallDisallowPublicIngress,
  firewallDisallowWidePortRanges,
  vmCoveredByTierFirewallRules,
  disallowDefaultNetwork,
  networkRequiresCustomSubnetMode,
  backendServiceRequiresWafPolicy,
]);

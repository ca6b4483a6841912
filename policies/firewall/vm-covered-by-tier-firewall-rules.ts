import * as gcp from "@pulumi/gcp";
import { StackValidationPolicy } from "@pulumi/policy";
import { vmNetworkKey, networkKeyOf } from "../lib/network";
import { propsAs, StackIndex } from "../lib/stack";
import { T } from "../lib/types";
import { known, NOT_KNOWN } from "../lib/unknowns";
import { VM_TYPES, vmKind } from "../lib/vm";
import { isAbsent, quote } from "../lib/values";

export interface TierConfig {
  tierLabel: string;
}

export const vmCoveredByTierFirewallRules: StackValidationPolicy = {
  name: "gcp-vm-covered-by-tier-firewall-rules",
  severity: "high",
  remediationSteps:
    "Give the VM its tier label and the tier's network tag, and create ingress allow rules on the VM's network whose targetTags name that tag.",
  url: "https://cloud.google.com/vpc/docs/add-remove-network-tags",
  description:
    "A firewall in front of every server: every VM belongs to a tier (a label) and carries that tier's network tag, and the tier has its own ingress allow-list on the VM's network.",
  configSchema: {
    properties: {
      tierLabel: {
        type: "string",
        minLength: 1,
        default: "tier",
        description:
          "The VM label that names its tier; the tier's firewall rules target the network tag of the same name.",
      },
    },
  },
  validateStack: (args, report) => {
    const index = StackIndex.of(args.resources);
    const vms = index.ofType(...VM_TYPES);
    if (vms.length === 0) args.notApplicable("The stack has no VM or instance template.");
    const { tierLabel } = args.getConfig<TierConfig>();

    // Ingress allow rules by the tags they target, each with the network it is on (undefined: unknown).
    // A rule whose direction or allows are not known yet may be an ingress allow; one whose target tags
    // are not known yet may cover any VM.
    const rulesByTag = new Map<string, { network: string | undefined }[]>();
    let unknownTargets = false;
    for (const firewall of index.ofType(T.firewall)) {
      const props = propsAs(firewall, gcp.compute.Firewall);
      const ingressAllow = known(
        () => (props.direction ?? "INGRESS").toUpperCase() === "INGRESS" && props.disabled !== true,
      );
      if (ingressAllow === false) continue;
      if (known(() => props.allows?.length ?? 0) === 0) continue;
      const tags = known(() => [...(props.targetTags ?? [])]);
      if (tags === NOT_KNOWN) {
        unknownTargets = true;
        continue;
      }
      const network = networkKeyOf(index, firewall, "network", () => props.network);
      for (const tag of tags) {
        let rules = rulesByTag.get(tag);
        if (!rules) rulesByTag.set(tag, (rules = []));
        rules.push({ network });
      }
    }

    for (const vm of vms) {
      const props = propsAs(vm, gcp.compute.Instance);
      const kind = vmKind(vm);
      const tier = known(() => props.labels?.[tierLabel]);
      if (tier === NOT_KNOWN) continue;
      if (isAbsent(tier) || tier === "") {
        report(
          `${kind} ${quote(vm.name)} has no ${quote(tierLabel)} label, so no firewall allow-list can be tied to it; ` +
            `label it with its tier (for example ${tierLabel}: "web") and add the same network tag.`,
          vm.urn,
        );
        continue;
      }
      const tags = known(() => [...(props.tags ?? [])]);
      if (tags === NOT_KNOWN) continue;
      if (!tags.includes(tier)) {
        report(
          `${kind} ${quote(vm.name)} is in tier ${quote(tier)} but does not carry the network tag ${quote(tier)}, ` +
            `so its tier's firewall rules do not apply to it; add ${quote(tier)} to its tags.`,
          vm.urn,
        );
        continue;
      }
      if (unknownTargets) continue;
      const network = vmNetworkKey(index, vm);
      const rules = rulesByTag.get(tier) ?? [];
      const covered = rules.some(
        (r) => r.network === undefined || network === undefined || r.network === network,
      );
      if (!covered) {
        report(
          `No ingress allow rule on the network of ${kind} ${quote(vm.name)} targets its tier ${quote(tier)}; ` +
            `add a firewall rule with targetTags [${quote(tier)}] that allows only the traffic this tier serves.`,
          vm.urn,
        );
      }
    }
  },
};

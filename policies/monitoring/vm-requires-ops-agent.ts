import * as gcp from "@pulumi/gcp";
import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import {
  installsOpsAgent,
  isOpsAgentPackage,
  OsPolicyLike,
  osPolicyInstalls,
  scriptsOf,
} from "../lib/scripts";
import { parseRef, propsAs, StackIndex } from "../lib/stack";
import { T } from "../lib/types";
import { known } from "../lib/unknowns";
import { VM_TYPES, vmKind } from "../lib/vm";
import { quote } from "../lib/values";

type Assignment = gcp.osconfig.OsPolicyAssignment;

/** True when an OS policy assignment enforces the Ops Agent's installation. */
export function assignmentInstallsOpsAgent(osPolicies: readonly OsPolicyLike[]): boolean {
  const { packages, scripts } = osPolicyInstalls(osPolicies, true);
  return packages.some(isOpsAgentPackage) || scripts.some(installsOpsAgent);
}

/** True when every label of `wanted` is on the VM. */
function hasLabels(
  vmLabels: Readonly<Record<string, string>>,
  wanted: { labels?: Record<string, string> },
): boolean {
  return Object.entries(wanted.labels ?? {}).every(([key, value]) => vmLabels[key] === value);
}

/** The boot image of a VM or template, when it names one. */
function bootImageOf(vm: PolicyResource): string | undefined {
  if (vm.type === T.instance)
    return propsAs(vm, gcp.compute.Instance).bootDisk?.initializeParams?.image ?? undefined;
  const disks = propsAs(vm, gcp.compute.InstanceTemplate).disks ?? [];
  return (disks.find((d) => d.boot === true) ?? disks[0])?.sourceImage;
}

/** Whether an OS policy assignment's instance filter and zone take in this VM. */
function assignmentTargets(index: StackIndex, assignment: PolicyResource, vm: PolicyResource): boolean {
  const props = propsAs<Assignment>(assignment, gcp.osconfig.OsPolicyAssignment);
  const zone = index.zoneOf(vm);
  if (zone !== undefined && parseRef(props.location).name !== zone) return false;
  const filter = props.instanceFilter;
  if (filter.all === true) return true;
  const labels = propsAs(vm, gcp.compute.Instance).labels ?? {};
  const inclusions = filter.inclusionLabels ?? [];
  const inventories = filter.inventories ?? [];
  if (inclusions.length === 0 && inventories.length === 0) return false;
  if (inclusions.length > 0 && !inclusions.some((set) => hasLabels(labels, set))) return false;
  if ((filter.exclusionLabels ?? []).some((set) => hasLabels(labels, set))) return false;
  if (inventories.length === 0) return true;
  const image = bootImageOf(vm)?.toLowerCase();
  // An image the stack does not name (a disk made elsewhere) may be any OS.
  if (image === undefined) return true;
  return inventories.some(({ osShortName }) => {
    const os = osShortName.toLowerCase();
    return os === "" || os === "*" || image.includes(os);
  });
}

export const vmRequiresOpsAgent: StackValidationPolicy = {
  name: "gcp-vm-requires-ops-agent",
  severity: "medium",
  remediationSteps:
    "Install the Ops Agent in the VM's startup script (add-google-cloud-ops-agent-repo.sh --also-install) or with an OsPolicyAssignment that targets the VM.",
  url: "https://cloud.google.com/stackdriver/docs/solutions/agents/ops-agent/install-index",
  description:
    "Monitoring on every server, and QPS monitoring: every VM runs the Google Cloud Ops Agent, installed by its startup script or by an OS policy assignment in the stack that targets it.",
  validateStack: (args, report) => {
    const index = StackIndex.of(args.resources);
    const vms = index.ofType(...VM_TYPES);
    if (vms.length === 0) args.notApplicable("The stack has no VM or instance template.");
    // Whatever is not known until the update counts as installing the agent: the policy does not guess.
    const assignments = index
      .ofType(T.osPolicyAssignment)
      .filter(
        (a) =>
          known(() =>
            assignmentInstallsOpsAgent(propsAs<Assignment>(a, gcp.osconfig.OsPolicyAssignment).osPolicies),
          ) !== false,
      );
    for (const vm of vms) {
      if (known(() => scriptsOf(propsAs(vm, gcp.compute.Instance)).some(installsOpsAgent)) !== false)
        continue;
      if (assignments.some((a) => known(() => assignmentTargets(index, a, vm)) !== false)) continue;
      report(
        `${vmKind(vm)} ${quote(vm.name)} does not install the Ops Agent, so nothing reports its health and metrics; ` +
          "install it in the startup script (add-google-cloud-ops-agent-repo.sh --also-install) " +
          "or target the VM with an OS policy assignment that installs google-cloud-ops-agent.",
        vm.urn,
      );
    }
  },
};

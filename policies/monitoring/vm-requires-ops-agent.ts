import * as gcp from "@pulumi/gcp";
import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { installsOpsAgent, isOpsAgentPackage, scriptsOf } from "../lib/scripts";
import { StackIndex, parseRef } from "../lib/stack";
import { T } from "../lib/types";
import { VM_TYPES, vmKind } from "../lib/vm";
import { flag, isUnknown, list, Props, quote, record, text } from "../lib/values";

type Match = "yes" | "no" | "unknown";

/** True when an OS policy assignment enforces the Ops Agent's installation. */
export function assignmentInstallsOpsAgent(osPolicies: unknown): boolean {
  for (const entry of list(osPolicies) ?? []) {
    const policy = record<gcp.types.input.osconfig.OsPolicyAssignmentOsPolicy>(entry);
    if (text(policy?.mode)?.toUpperCase() !== "ENFORCEMENT") continue;
    for (const group of list(policy?.resourceGroups) ?? []) {
      for (const resource of list(record(group)?.resources) ?? []) {
        const item =
          record<gcp.types.input.osconfig.OsPolicyAssignmentOsPolicyResourceGroupResource>(resource);
        const pkg = record<gcp.types.input.osconfig.OsPolicyAssignmentOsPolicyResourceGroupResourcePkg>(
          item?.pkg,
        );
        if (pkg && text(pkg.desiredState)?.toUpperCase() === "INSTALLED") {
          for (const manager of ["apt", "yum", "zypper", "googet"] as const) {
            const name = text(record(pkg[manager])?.name);
            if (name !== undefined && isOpsAgentPackage(name)) return true;
          }
        }
        const script = text(record(record(item?.exec)?.enforce)?.script);
        if (script !== undefined && installsOpsAgent(script)) return true;
      }
    }
  }
  return false;
}

/** True when every label of `wanted` is on the VM. */
function hasLabels(vmLabels: Record<string, unknown>, wanted: unknown): boolean {
  const labels = record(record(wanted)?.labels) ?? {};
  return Object.entries(labels).every(([key, value]) => vmLabels[key] === value);
}

/** The boot image of a VM or template, when known. */
function bootImageOf(vm: PolicyResource, props: Props): string | undefined {
  if (vm.type === T.instance) {
    return text(record(record(props.bootDisk)?.initializeParams)?.image);
  }
  const disks = list(props.disks) ?? [];
  const boot = disks.find((d) => flag(record(d)?.boot) === true) ?? disks[0];
  return text(record(boot)?.sourceImage);
}

/** Whether an OS policy assignment's instance filter and zone take in this VM. */
function assignmentTargets(index: StackIndex, assignment: Props, vm: PolicyResource): Match {
  const vmProps = index.props(vm);
  const location = text(assignment.location);
  const zone = index.zoneOf(vm);
  if (location !== undefined && zone !== undefined && parseRef(location).name !== zone) return "no";
  if (isUnknown(assignment.instanceFilter)) return "unknown";
  const filter = record<gcp.types.input.osconfig.OsPolicyAssignmentInstanceFilter>(assignment.instanceFilter);
  if (!filter) return "no";
  if ([filter.all, filter.inclusionLabels, filter.exclusionLabels, filter.inventories].some(isUnknown)) {
    return "unknown";
  }
  if (flag(filter.all) === true) return "yes";
  if (isUnknown(vmProps.labels)) return "unknown";
  const labels = record(vmProps.labels) ?? {};
  const inclusions = list(filter.inclusionLabels) ?? [];
  const inventories = list(filter.inventories) ?? [];
  if (inclusions.length === 0 && inventories.length === 0) return "no";
  if (inclusions.length > 0 && !inclusions.some((set) => hasLabels(labels, set))) return "no";
  if ((list(filter.exclusionLabels) ?? []).some((set) => hasLabels(labels, set))) return "no";
  if (inventories.length > 0) {
    const image = bootImageOf(vm, vmProps);
    if (image === undefined) return "unknown";
    const os = inventories.map((i) => text(record(i)?.osShortName)?.toLowerCase() ?? "");
    if (!os.some((name) => name === "" || name === "*" || image.toLowerCase().includes(name))) return "no";
  }
  return "yes";
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
    const assignments = index
      .ofType(T.osPolicyAssignment)
      .map((a) => index.props(a))
      .filter((a) => isUnknown(a.osPolicies) || assignmentInstallsOpsAgent(a.osPolicies));
    for (const vm of vms) {
      const scripts = scriptsOf(index.props(vm));
      if (scripts.texts.some(installsOpsAgent) || scripts.unknown) continue;
      const matches = assignments.map((a) =>
        isUnknown(a.osPolicies) ? "unknown" : assignmentTargets(index, a, vm),
      );
      if (matches.some((m) => m !== "no")) continue;
      report(
        `${vmKind(vm)} ${quote(vm.name)} does not install the Ops Agent, so nothing reports its health and metrics; ` +
          "install it in the startup script (add-google-cloud-ops-agent-repo.sh --also-install) " +
          "or target the VM with an OS policy assignment that installs google-cloud-ops-agent.",
        vm.urn,
      );
    }
  },
};

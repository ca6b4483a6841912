/** VM-like resources: VMs and the instance templates managed instance groups stamp VMs from. */
import * as gcp from "@pulumi/gcp";
import { PolicyResource, ReportViolation, ResourceValidation, ResourceValidationArgs } from "@pulumi/policy";
import { checkResource } from "./policy";
import { T } from "./types";
import { list, Loose, record } from "./values";

export const VM_TYPES: readonly string[] = [T.instance, T.instanceTemplate, T.regionInstanceTemplate];

/** "VM" or "Instance template", to open a message. */
export function vmKind(resource: Pick<PolicyResource, "type">): string {
  return resource.type === T.instance ? "VM" : "Instance template";
}

/** The properties VMs and instance templates share under the same names. */
export type VmProps = Loose<gcp.compute.InstanceArgs>;

/** One check run on VMs and on both kinds of instance template (the VMs a managed group will create). */
export function checkVms(
  check: (vm: VmProps, kind: string, args: ResourceValidationArgs, report: ReportViolation) => void,
): ResourceValidation[] {
  return [
    checkResource(gcp.compute.Instance, (vm, args, report) => check(vm, "VM", args, report)),
    checkResource(gcp.compute.InstanceTemplate, (template, args, report) =>
      check(template as VmProps, "Instance template", args, report),
    ),
    checkResource(gcp.compute.RegionInstanceTemplate, (template, args, report) =>
      check(template as VmProps, "Instance template", args, report),
    ),
  ];
}

/** The network interfaces that give the VM a public IP address (an `accessConfigs` entry). */
export function interfacesWithPublicIp(vm: VmProps): unknown[] {
  return (list(vm.networkInterfaces) ?? []).filter(
    (nic) => (list(record(nic)?.accessConfigs)?.length ?? 0) > 0,
  );
}

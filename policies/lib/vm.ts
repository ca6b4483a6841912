/** VM-like resources: VMs and the instance templates managed instance groups stamp VMs from. */
import * as gcp from "@pulumi/gcp";
import {
  PolicyResource,
  ReportViolation,
  ResourceValidation,
  ResourceValidationArgs,
  validateResourceOfType,
} from "@pulumi/policy";
import { Unwrap } from "@pulumi/pulumi";
import { T } from "./types";

export const VM_TYPES: readonly string[] = [T.instance, T.instanceTemplate, T.regionInstanceTemplate];

/** "VM" or "Instance template", to open a message. */
export function vmKind(resource: Pick<PolicyResource, "type">): string {
  return resource.type === T.instance ? "VM" : "Instance template";
}

type InstanceProps = Unwrap<gcp.compute.InstanceArgs>;
type TemplateProps = Unwrap<gcp.compute.InstanceTemplateArgs>;

/** The properties VMs and instance templates share under the same names, as a check reads them. */
export type VmProps = {
  [K in keyof InstanceProps & keyof TemplateProps]?: InstanceProps[K] | TemplateProps[K];
};

/** One check run on VMs and on both kinds of instance template (the VMs a managed group will create). */
export function checkVms(
  check: (vm: VmProps, kind: string, args: ResourceValidationArgs, report: ReportViolation) => void,
): ResourceValidation[] {
  return [
    validateResourceOfType(gcp.compute.Instance, (vm, args, report) => check(vm, "VM", args, report)),
    validateResourceOfType(gcp.compute.InstanceTemplate, (template, args, report) =>
      check(template, "Instance template", args, report),
    ),
    validateResourceOfType(gcp.compute.RegionInstanceTemplate, (template, args, report) =>
      check(template, "Instance template", args, report),
    ),
  ];
}

/** The network interfaces that give the VM a public IP address (an `accessConfigs` entry). */
export function interfacesWithPublicIp(vm: Pick<VmProps, "networkInterfaces">): unknown[] {
  return (vm.networkInterfaces ?? []).filter((nic) => (nic.accessConfigs?.length ?? 0) > 0);
}

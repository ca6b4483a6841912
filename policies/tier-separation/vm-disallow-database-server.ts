import * as gcp from "@pulumi/gcp";
import { ReportViolation, ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import { checkResource } from "../lib/policy";
import { databaseServerIn, isDatabaseServerPackage, ScriptCarrier, scriptsOf } from "../lib/scripts";
import { list, Loose, quote, record, text } from "../lib/values";

function checkScripts(
  kind: string,
  props: Loose<ScriptCarrier>,
  args: ResourceValidationArgs,
  report: ReportViolation,
): void {
  for (const script of scriptsOf(props).texts) {
    const server = databaseServerIn(script);
    if (server === undefined) continue;
    report(
      `${kind} ${quote(args.name)} installs the database server ${quote(server)} in its startup script, next to the web tier; ` +
        "remove it and use the Cloud SQL instance of the database tier instead.",
    );
    return;
  }
}

/** The database server packages an OS policy assignment installs on the VMs it targets. */
function databasePackagesOf(osPolicies: unknown): string[] {
  const found: string[] = [];
  for (const policy of list(osPolicies) ?? []) {
    for (const group of list(record(policy)?.resourceGroups) ?? []) {
      for (const resource of list(record(group)?.resources) ?? []) {
        const entry =
          record<gcp.types.input.osconfig.OsPolicyAssignmentOsPolicyResourceGroupResource>(resource);
        const pkg = record<gcp.types.input.osconfig.OsPolicyAssignmentOsPolicyResourceGroupResourcePkg>(
          entry?.pkg,
        );
        if (pkg && text(pkg.desiredState)?.toUpperCase() === "INSTALLED") {
          for (const manager of ["apt", "yum", "zypper", "googet"] as const) {
            const name = text(record(pkg[manager])?.name);
            if (name !== undefined && isDatabaseServerPackage(name) && !found.includes(name))
              found.push(name);
          }
        }
        const script = text(record(record(entry?.exec)?.enforce)?.script);
        const server = script !== undefined ? databaseServerIn(script) : undefined;
        if (server !== undefined && !found.includes(server)) found.push(server);
      }
    }
  }
  return found;
}

export const vmDisallowDatabaseServer: ResourceValidationPolicy = {
  name: "gcp-vm-disallow-database-server",
  severity: "medium",
  remediationSteps:
    "Take the database server out of the VM's startup script or image, and use the stack's Cloud SQL instance over private IP.",
  url: "https://cloud.google.com/sql/docs/mysql/introduction",
  description:
    "No identical components on every server: web and app VMs run no database server; the database lives in its own tier (Cloud SQL).",
  validateResource: [
    checkResource(gcp.compute.Instance, (vm, args, report) => checkScripts("VM", vm, args, report)),
    checkResource(gcp.compute.InstanceTemplate, (template, args, report) =>
      checkScripts("Instance template", template, args, report),
    ),
    checkResource(gcp.compute.RegionInstanceTemplate, (template, args, report) =>
      checkScripts("Instance template", template, args, report),
    ),
    checkResource(gcp.osconfig.OsPolicyAssignment, (assignment, args, report) => {
      const packages = databasePackagesOf(assignment.osPolicies);
      if (packages.length === 0) return;
      report(
        `OS policy assignment ${quote(args.name)} installs the database server ${packages.map(quote).join(", ")} on the VMs it targets; ` +
          "remove it and use the Cloud SQL instance of the database tier instead.",
      );
    }),
  ],
};

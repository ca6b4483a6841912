import * as gcp from "@pulumi/gcp";
import {
  ReportViolation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  validateResourceOfType,
} from "@pulumi/policy";

import {
  databaseServerIn,
  isDatabaseServerPackage,
  OsPolicyLike,
  osPolicyInstalls,
  scriptsOf,
} from "../lib/scripts";

import { checkVms, VmProps } from "../lib/vm";
import { quote } from "../lib/values";

function checkScripts(
  vm: VmProps,
  kind: string,
  args: ResourceValidationArgs,
  report: ReportViolation,
): void {
  for (const script of scriptsOf(vm)) {
    const server = databaseServerIn(script);
    if (server === undefined) continue;
    report(
      `${kind} ${quote(args.name)} installs the database server ${quote(server)} in its startup script, next to the web tier; ` +
        "remove it and use the Cloud SQL instance of the database tier instead.",
    );
    return;
  }
}

/** The database servers an OS policy assignment installs on the VMs it targets, by package or by script. */
function databaseServersOf(osPolicies: readonly OsPolicyLike[]): string[] {
  const { packages, scripts } = osPolicyInstalls(osPolicies, false);
  const servers = [
    ...packages.filter(isDatabaseServerPackage),
    ...scripts.map(databaseServerIn).filter((server) => server !== undefined),
  ];
  return [...new Set(servers)];
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
    ...checkVms(checkScripts),

    validateResourceOfType(gcp.osconfig.OsPolicyAssignment, (assignment, args, report) => {
      const packages = databaseServersOf(assignment.osPolicies);
      if (packages.length === 0) return;
      report(
        `OS policy assignment ${quote(args.name)} installs the database server ${packages.map(quote).join(", ")} on the VMs it targets; ` +
          "remove it and use the Cloud SQL instance of the database tier instead.",
      );
    }),
  ],
};

// The policy pack alone over a synthetic stack: the compliant fixture stack repeated until it has the
// requested number of resources, names made unique. Prints the evaluation's own time and rate as JSON.
import * as fs from "fs";
import * as path from "path";
import { projectRootFrom } from "../../../config/stackFiles";
import { PACK_ENFORCEMENT_LEVEL, packPolicies } from "../../../policies/pack";
import { evaluatePolicies, StackResource } from "../../policy-eval/evaluate";
import { loadPolicyConfigFile, resolvePolicyConfig } from "../../policy-eval/config";

const target = Number(process.argv[2] ?? "10000");
const fixture = JSON.parse(
  fs.readFileSync(
    path.join(projectRootFrom(__dirname), "policies/test/fixtures/compliant-stack.json"),
    "utf8",
  ),
) as { resources: StackResource[] };

const resources: StackResource[] = [];
for (let copy = 0; resources.length < target; copy++) {
  const rename = (name: string) => `${name}-${copy}`;
  for (const r of fixture.resources) {
    if (resources.length === target) break;
    resources.push({
      ...r,
      name: rename(r.name),
      dependencies: r.dependencies?.map(rename),
      parent: r.parent === undefined ? undefined : rename(r.parent),
    });
  }
}
// Parents and dependencies that fell beyond the cut are dropped, so every reference resolves.
const names = new Set(resources.map((r) => r.name));
for (const r of resources) {
  r.dependencies = r.dependencies?.filter((d) => names.has(d));
  if (r.parent !== undefined && !names.has(r.parent)) r.parent = undefined;
}

const config = loadPolicyConfigFile(path.join(projectRootFrom(__dirname), "policies/config/prod.json"));
const resourcePolicies = packPolicies.filter((p) => "validateResource" in p).length;
// Resolving the config (ajv compiling the schemas of the settings it gives) is a fixed cost, timed apart.
const resolving = process.hrtime.bigint();
const resolved = resolvePolicyConfig(packPolicies, config, PACK_ENFORCEMENT_LEVEL);
const configSeconds = Number(process.hrtime.bigint() - resolving) / 1e9;
const evaluate = () => {
  const started = process.hrtime.bigint();
  const found = evaluatePolicies(packPolicies, resources, resolved, { stack: "bench" });
  return { found, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
};
// The first evaluation is what a check-policies run pays (the policies' code still cold); two more show the
// rate once the JIT has compiled them, as in a long-lived process.
const { found: violations, seconds } = evaluate();
const warmSeconds = Math.min(evaluate().seconds, evaluate().seconds);
process.stdout.write(
  JSON.stringify({
    resources: resources.length,
    resourcePolicies,
    violations: violations.length,
    seconds,
    configSeconds,
    resourcesPerSecond: resources.length / seconds,
    warmResourcesPerSecond: resources.length / warmSeconds,
  }) + "\n",
);

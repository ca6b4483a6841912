import * as path from "path";
import { Plan } from "./plan";
import { Violation } from "../policy-eval/evaluate";
import { countByType, renderTree } from "./tree";

function section(title: string): string[] {
  return ["", title, "-".repeat(title.length)];
}

function relative(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel.startsWith("..") ? file : rel;
}

/** The plan for a person to read: resources, concerns, zone failures, outputs and where the diagram is. */
export function renderText(plan: Plan): string {
  const { run } = plan;
  const custom = run.resources.filter((r) => r.custom);
  const lines = [
    `Offline plan of stack "${run.stack}" (project ${run.config["gcp:project"]}, region ${run.config["gcp:region"]}) against a simulated Google Cloud.`,
    ...section(
      `Resources: ${custom.length} to create, in ${run.resources.length - custom.length} components`,
    ),
    ...renderTree(run.resources),
    "",
    "By type:",
    ...countByType(run.resources).map(([type, n]) => `${String(n).padStart(5)}  ${type}`),
  ];

  const mandatory = plan.violations.filter((v) => v.enforcementLevel === "mandatory").length;
  const advisory = plan.violations.length - mandatory;
  lines.push(
    ...section("Design concerns"),
    `Policy pack foobar-web with ${plan.policyConfigPath ? relative(plan.policyConfigPath) : "the pack's defaults, every policy mandatory (no policy config for this stack)"}: ${
      plan.violations.length === 0
        ? "no violations"
        : `${mandatory} mandatory and ${advisory} advisory violations`
    }.`,
  );
  const violation = (v: Violation) =>
    `       - ${v.enforcementLevel} ${v.policy}${v.resource ? ` (${v.resource})` : ""}: ${v.message}`;
  for (const c of plan.concerns) {
    lines.push(
      "",
      `[${c.status === "pass" ? "pass" : "FAIL"}] ${c.title}`,
      `       The program's answer: ${c.answer}`,
      `       Checked by: ${c.policies.join(", ")}`,
      ...c.violations.map(violation),
    );
  }
  const stray = plan.violations.filter((v) => !plan.concerns.some((c) => c.policies.includes(v.policy)));
  lines.push(...stray.map(violation));

  lines.push(
    ...section("If one zone goes down"),
    ...plan.zones.zones.map((z) => `${z.zone}: ${z.summary}`),
    `Verdict: ${plan.zones.verdict}`,
    ...section("Outputs"),
    ...Object.entries(run.outputs).map(
      ([key, value]) => `${key}: ${typeof value === "string" ? value : JSON.stringify(value)}`,
    ),
    "",
    `Diagram: ${relative(plan.diagramPath)}`,
    "",
  );
  return lines.join("\n");
}

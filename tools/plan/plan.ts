import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { runOffline, OfflineRun, PlannedResource } from "../offline/mockRun";
import { projectRootFrom, StackFileError } from "../../config/stackFiles";
import { PACK_ENFORCEMENT_LEVEL, packPolicies } from "../../policies/pack";
import { evaluatePolicies, hasMandatoryViolation, StackResource, Violation } from "../policy-eval/evaluate";
import { loadPolicyConfigFile, PolicyConfigError, PolicyConfigFile } from "../policy-eval/config";
import { concerns, policiesAnswering } from "../../policies/concerns";
import { analyseZoneFailures, ZoneFailureAnalysis } from "./zoneFailure";
import { renderArchitectureSvg } from "./diagram";
import { PlanArgs } from "./args";

/** A plan that cannot be made: unknown stack, bad config, unreadable policy config. Exit code 2. */
export class PlanError extends Error {}

export interface ConcernResult {
  concern: string;
  title: string;
  /** What the program does about the concern. */
  answer: string;
  status: "pass" | "fail";
  policies: string[];
  violations: Violation[];
}

export interface Plan {
  run: OfflineRun;
  policyConfigPath: string | null;
  violations: Violation[];
  concerns: ConcernResult[];
  zones: ZoneFailureAnalysis;
  diagramPath: string;
  hasMandatoryViolation: boolean;
  /** The --json document. */
  json: Record<string, unknown>;
}

const repositoryRoot = projectRootFrom(__dirname);

/** Planned resources as the policy evaluator takes them. */
export function asStackResources(resources: readonly PlannedResource[]): StackResource[] {
  return resources.map((r) => ({
    type: r.type,
    name: r.name,
    urn: r.urn,
    props: r.props,
    dependencies: r.dependencies,
    parent: r.parent ?? undefined,
  }));
}

/** The committed policy config of a stack (policies/config/<stack>.json), or null when it has none. */
export function policyConfigPathOf(stack: string): string | null {
  const file = path.join(repositoryRoot, "policies", "config", `${stack}.json`);
  return fs.existsSync(file) ? file : null;
}

function writeFailure(err: NodeJS.ErrnoException): string {
  switch (err.code) {
    case "EEXIST":
    case "ENOTDIR":
      return "part of that path is a file, not a folder";
    case "EACCES":
    case "EPERM":
      return "permission denied";
    case "EISDIR":
      return "that path is a folder; name an .svg file";
    default:
      return err.code ?? err.message;
  }
}

async function runProgram(args: PlanArgs): Promise<OfflineRun> {
  try {
    return await runOffline({ stack: args.stack, overrides: args.overrides });
  } catch (err) {
    if (err instanceof StackFileError || pulumi.RunError.isInstance(err)) {
      throw new PlanError((err as Error).message);
    }
    throw err;
  }
}

export async function buildPlan(args: PlanArgs): Promise<Plan> {
  const run = await runProgram(args);
  // The layout runs on the worker thread while this one evaluates the policies and the zones. It is
  // awaited below; the catch only keeps an early PlanError from leaving its failure unhandled.
  const svgRendered = renderArchitectureSvg(args.stack, run.resources);
  svgRendered.catch(() => undefined);

  const policyConfigPath = policyConfigPathOf(args.stack);
  let policyConfig: PolicyConfigFile = {};
  try {
    policyConfig = policyConfigPath ? loadPolicyConfigFile(policyConfigPath) : {};
  } catch (err) {
    throw err instanceof PolicyConfigError ? new PlanError(err.message) : err;
  }
  const violations = evaluatePolicies(packPolicies, asStackResources(run.resources), policyConfig, {
    packEnforcementLevel: PACK_ENFORCEMENT_LEVEL,
    project: "foobar-web",
    stack: args.stack,
  });

  const concernResults = concerns.map((c): ConcernResult => {
    const policies = policiesAnswering(c, packPolicies);
    const found = violations.filter((v) => policies.includes(v.policy));
    return {
      concern: c.id,
      title: c.title,
      answer: c.programDoes,
      status: found.length === 0 ? "pass" : "fail",
      policies,
      violations: found,
    };
  });

  const zones = analyseZoneFailures(run.resources);

  const diagramPath = path.resolve(
    args.diagramPath ?? path.join(repositoryRoot, "out", args.stack, "architecture.svg"),
  );
  const svg = await svgRendered;
  try {
    fs.mkdirSync(path.dirname(diagramPath), { recursive: true });
    fs.writeFileSync(diagramPath, svg);
  } catch (err) {
    throw new PlanError(
      `Cannot write the diagram to ${diagramPath}: ${writeFailure(err as NodeJS.ErrnoException)}.`,
    );
  }

  return {
    run,
    policyConfigPath,
    violations,
    concerns: concernResults,
    zones,
    diagramPath,
    hasMandatoryViolation: hasMandatoryViolation(violations),
    json: {
      stack: args.stack,
      // Which levels the verdict is under: a path relative to the project, or null for the pack's
      // mandatory defaults.
      policyConfig: policyConfigPath ? path.relative(repositoryRoot, policyConfigPath) : null,
      resources: run.resources.map(({ type, name, parent, props, dependencies }) => ({
        type,
        name,
        parent,
        dependencies,
        props,
      })),
      violations,
      concerns: concernResults.map(({ concern, status, policies, violations: v }) => ({
        concern,
        status,
        policies,
        violations: v,
      })),
      zoneFailure: zones.zones,
      zoneFailureVerdict: zones.verdict,
      outputs: run.outputs,
      diagram: diagramPath,
    },
  };
}

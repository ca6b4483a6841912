import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { runOffline, PlannedResource } from "../offline/mockRun";
import { projectRootFrom, StackFileError } from "../../config/stackFiles";
import { PACK_ENFORCEMENT_LEVEL, packPolicies } from "../../policies/pack";
import { evaluatePolicies, hasMandatoryViolation, StackResource, Violation } from "../policy-eval/evaluate";
import { loadPolicyConfigFile, PolicyConfigError } from "../policy-eval/config";
import { concerns, policiesAnswering } from "../../policies/concerns";
import { analyseZoneFailures } from "./zoneFailure";
import { renderArchitectureSvg } from "./diagram";
import { PlanArgs } from "./args";

/** A plan whose diagram cannot be written. Exit code 2. */
export class PlanError extends Error {}

/** Errors that mean the plan cannot be made (unknown stack, bad config, bad policy config): exit code 2. */
export function isPlanError(err: unknown): err is Error {
  return (
    err instanceof PlanError ||
    err instanceof StackFileError ||
    err instanceof PolicyConfigError ||
    pulumi.RunError.isInstance(err)
  );
}

export interface ConcernResult {
  concern: string;
  title: string;
  /** What the program does about the concern. */
  answer: string;
  status: "pass" | "fail";
  policies: string[];
  violations: Violation[];
}

/** The plan of a stack, and the --json document (`json`). */
export type Plan = Awaited<ReturnType<typeof buildPlan>>;

const repositoryRoot = projectRootFrom(__dirname);

/** Planned resources as the policy evaluator takes them. */
export function asStackResources(resources: readonly PlannedResource[]): StackResource[] {
  return resources.map((r) => ({ ...r, parent: r.parent ?? undefined }));
}

const NOT_A_FOLDER = "part of that path is a file, not a folder";
/** Why the diagram cannot be written, by error code. */
const WRITE_FAILURES: Record<string, string> = {
  EEXIST: NOT_A_FOLDER,
  ENOTDIR: NOT_A_FOLDER,
  EACCES: "permission denied",
  EPERM: "permission denied",
  EISDIR: "that path is a folder; name an .svg file",
};

export async function buildPlan(args: PlanArgs) {
  const run = await runOffline({ stack: args.stack, overrides: args.overrides });
  // The layout runs on the worker thread while this one evaluates the policies and the zones. It is
  // awaited below; the catch only keeps an early error from leaving its failure unhandled.
  const svgRendered = renderArchitectureSvg(args.stack, run.resources);
  svgRendered.catch(() => undefined);

  // The committed policy config of the stack, or null when it has none.
  const configFile = path.join(repositoryRoot, "policies", "config", `${args.stack}.json`);
  const policyConfigPath = fs.existsSync(configFile) ? configFile : null;
  const policyConfig = policyConfigPath ? loadPolicyConfigFile(policyConfigPath) : {};
  const violations = evaluatePolicies(packPolicies, asStackResources(run.resources), policyConfig, {
    packEnforcementLevel: PACK_ENFORCEMENT_LEVEL,
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
    const { code, message } = err as NodeJS.ErrnoException;
    throw new PlanError(
      `Cannot write the diagram to ${diagramPath}: ${WRITE_FAILURES[code ?? ""] ?? code ?? message}.`,
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

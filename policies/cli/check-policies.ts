/**
 * check-policies: the policy pack's verdict on a set of resources, without a deployment.
 *
 *   npm run -s check-policies -- <resources.json> [--config <policy-config.json>]
 *
 * Prints `{ "violations": [...] }` on stdout and nothing else. Exits 0 when no violation is mandatory, 1 when
 * one is, and 2, with one line on stderr and nothing on stdout, when the input or the config is unusable.
 */
import {
  loadPolicyConfigFile,
  PolicyConfigError,
  PolicyConfigFile,
  resolvePolicyConfig,
} from "../engine/config";
import {
  evaluatePolicies,
  hasMandatoryViolation,
  PolicyEvaluationError,
  PolicyInputError,
} from "../engine/evaluate";
import { loadResourcesFile, ResourcesFileError } from "../engine/resources";
import { PACK_ENFORCEMENT_LEVEL, packPolicies } from "../pack";

const USAGE = "usage: npm run -s check-policies -- <resources.json> [--config <policy-config.json>]";

class UsageError extends Error {}

function parseArguments(argv: readonly string[]): { resourcesPath: string; configPath?: string } {
  let resourcesPath: string | undefined;
  let configPath: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--config" || arg.startsWith("--config=")) {
      if (configPath !== undefined) throw new UsageError(`--config given twice; ${USAGE}`);
      const value = arg === "--config" ? argv[++i] : arg.slice("--config=".length);
      if (value === undefined || value === "") throw new UsageError(`--config needs a file; ${USAGE}`);
      configPath = value;
    } else if (arg.startsWith("-") && arg !== "-") {
      throw new UsageError(`unknown option ${JSON.stringify(arg)}; ${USAGE}`);
    } else if (resourcesPath === undefined) {
      resourcesPath = arg;
    } else {
      throw new UsageError(`unexpected argument ${JSON.stringify(arg)}; ${USAGE}`);
    }
  }
  if (resourcesPath === undefined) throw new UsageError(`no resources file given; ${USAGE}`);
  return { resourcesPath, configPath };
}

function main(argv: readonly string[]): number {
  try {
    const { resourcesPath, configPath } = parseArguments(argv);
    const resources = loadResourcesFile(resourcesPath);
    let config: PolicyConfigFile = {};
    if (configPath !== undefined) config = loadPolicyConfigFile(configPath);
    let resolved;
    try {
      resolved = resolvePolicyConfig(packPolicies, config, PACK_ENFORCEMENT_LEVEL);
    } catch (e) {
      if (e instanceof PolicyConfigError) {
        throw new PolicyConfigError(`policy config file ${JSON.stringify(configPath)}: ${e.message}`);
      }
      throw e;
    }
    const violations = evaluatePolicies(packPolicies, resources, resolved);
    process.stdout.write(`${JSON.stringify({ violations }, null, 2)}\n`);
    return hasMandatoryViolation(violations) ? 1 : 0;
  } catch (e) {
    const known =
      e instanceof UsageError ||
      e instanceof ResourcesFileError ||
      e instanceof PolicyConfigError ||
      e instanceof PolicyInputError ||
      e instanceof PolicyEvaluationError;
    const message = known ? (e as Error).message : `unexpected error: ${String((e as Error)?.stack ?? e)}`;
    process.stderr.write(`check-policies: ${message.replace(/\s*\n\s*/g, " ")}\n`);
    return 2;
  }
}

process.exitCode = main(process.argv.slice(2));

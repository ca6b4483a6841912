/**
 * check-policies: the policy pack's verdict on a set of resources, without a deployment.
 *
 *   npm run -s check-policies -- <input.json | -> [--config <policy-config.json>] [--format text|json|sarif]
 *
 * Exit codes: 0 no mandatory violation (or --help), 1 at least one, 2 unusable arguments, input or config,
 * with one line on stderr and nothing on stdout. The same codes when the reader closes the pipe early.
 */
import * as fs from "fs";
import * as path from "path";
import { projectRootFrom } from "../../../config/stackFiles";
import { parseCommandLine, UsageError } from "../../cli/commandLine";
import { loadPolicyConfigFile, PolicyConfigError, resolvePolicyConfig } from "../config";
import {
  evaluatePolicies,
  hasMandatoryViolation,
  PolicyEvaluationError,
  PolicyInputError,
} from "../evaluate";
import { INPUT_FORMATS, readResources, ResourcesFileError } from "./inputs";
import { PACK_ENFORCEMENT_LEVEL, packPolicies } from "../../../policies/pack";
import { OUTPUT_FORMATS, OutputFormat, renderJson, renderSarif, renderText, Verdict } from "./formats";

const USAGE =
  "usage: npm run -s check-policies -- <input.json | -> [--config <file>] [--format text|json|sarif]";

const HELP = `${USAGE}

The policy pack's verdict on a set of resources, without a deployment.

The input (a file, or - for standard input) is any of: ${INPUT_FORMATS}.

  --config <file>   a policy config (policies/config/dev.json, prod.json...); without one, every policy is mandatory
  --format <f>      text (for people), json (the default: {"violations": [...]}) or sarif (SARIF 2.1.0)
  -h, --help        this text

Paths are taken from the folder you run it in. Exit codes: 0 no mandatory violation, 1 at least one,
2 unusable arguments, input or config (one line on stderr, nothing on stdout).
`;

/** The input, the config and the format; undefined for --help. */
function parseArguments(
  argv: string[],
): { input: string; configPath?: string; format: OutputFormat } | undefined {
  const { values, positionals } = parseCommandLine(
    {
      args: argv,
      allowPositionals: true,
      options: {
        config: { type: "string" },
        format: { type: "string", default: "json" },
        help: { type: "boolean", short: "h", default: false },
      },
    },
    USAGE,
  );
  if (values.help) return undefined;
  if (!(OUTPUT_FORMATS as readonly string[]).includes(values.format)) {
    throw new UsageError(
      `--format ${JSON.stringify(values.format)} is not one of ${OUTPUT_FORMATS.join(", ")}; ${USAGE}`,
    );
  }
  if (values.config === "") throw new UsageError(`--config needs a file; ${USAGE}`);
  if (positionals.length === 0) throw new UsageError(`no input given; ${USAGE}`);
  if (positionals.length > 1)
    throw new UsageError(`unexpected argument ${JSON.stringify(positionals[1])}; ${USAGE}`);
  return { input: positionals[0], configPath: values.config, format: values.format as OutputFormat };
}

/** npm runs scripts from the package's folder; INIT_CWD is where the user typed the command. */
function fromCaller(file: string): string {
  return path.resolve(process.env.INIT_CWD ?? process.cwd(), file);
}

function main(argv: string[]): number {
  try {
    const args = parseArguments(argv);
    if (args === undefined) {
      process.stdout.write(HELP);
      return 0;
    }
    const resources = readResources(args.input === "-" ? "-" : fromCaller(args.input), args.input);
    const config = args.configPath === undefined ? {} : loadPolicyConfigFile(fromCaller(args.configPath));
    let resolved;
    try {
      resolved = resolvePolicyConfig(packPolicies, config, PACK_ENFORCEMENT_LEVEL);
    } catch (e) {
      const prefix = `policy config file ${JSON.stringify(args.configPath)}: `;
      throw e instanceof PolicyConfigError ? new PolicyConfigError(prefix + e.message) : e;
    }
    const verdict: Verdict = {
      violations: evaluatePolicies(packPolicies, resources, resolved),
      policyConfig: args.configPath ?? null,
    };
    process.stdout.write(
      args.format === "sarif"
        ? renderSarif(verdict, packPolicies, packVersion())
        : (args.format === "text" ? renderText : renderJson)(verdict),
    );
    return hasMandatoryViolation(verdict.violations) ? 1 : 0;
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

function packVersion(): string {
  const manifest = path.join(projectRootFrom(__dirname), "policies", "package.json");
  return (JSON.parse(fs.readFileSync(manifest, "utf8")) as { version: string }).version;
}

// A reader that stops early (`... | head`) closes the pipe: end quietly with the verdict's own exit code.
process.stdout.on("error", (err: NodeJS.ErrnoException) => {
  if (err.code !== "EPIPE") throw err;
  process.exit(process.exitCode ?? 0);
});

process.exitCode = main(process.argv.slice(2));

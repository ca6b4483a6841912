import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import { RawConfig } from "./validate";

/** Raised when a stack cannot be read from its files; the message names the file and the problem. */
export class StackFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StackFileError";
  }
}

type ProjectConfigDeclaration = { default?: unknown; value?: unknown } | string | number | boolean;

interface ProjectFile {
  name: string;
  config?: Record<string, ProjectConfigDeclaration>;
}

function readYaml(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (err) {
    throw new StackFileError(`Cannot read ${path.basename(file)}: ${(err as NodeJS.ErrnoException).code}.`);
  }
  try {
    return yaml.load(text);
  } catch (err) {
    throw new StackFileError(
      `${path.basename(file)} is not valid YAML: ${(err as Error).message.split("\n")[0]}`,
    );
  }
}

// Pulumi hands every config value to the program as a string; lists and maps as JSON.
function asConfigString(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** Stack names that have a committed Pulumi.<stack>.yaml next to Pulumi.yaml. */
export function listStacks(projectDir: string): string[] {
  return fs
    .readdirSync(projectDir)
    .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
    .filter((s): s is string => s !== undefined)
    .sort();
}

/**
 * The config a stack's program receives, as the Pulumi CLI assembles it: the project's declared defaults
 * and values from Pulumi.yaml, overridden by Pulumi.<stack>.yaml, keyed by `namespace:key`.
 */
export function readStackConfig(projectDir: string, stack: string): RawConfig {
  const project = readYaml(path.join(projectDir, "Pulumi.yaml")) as ProjectFile;
  const stackFile = path.join(projectDir, `Pulumi.${stack}.yaml`);
  if (!/^[A-Za-z0-9_.-]+$/.test(stack) || !fs.existsSync(stackFile)) {
    throw new StackFileError(
      `Unknown stack ${JSON.stringify(stack)}: there is no Pulumi.${stack}.yaml; stacks: ${listStacks(projectDir).join(", ")}.`,
    );
  }
  const raw: Record<string, string> = {};
  for (const [name, declaration] of Object.entries(project.config ?? {})) {
    const fullKey = name.includes(":") ? name : `${project.name}:${name}`;
    const value =
      typeof declaration === "object" && declaration !== null
        ? (declaration.value ?? declaration.default)
        : declaration;
    if (value !== undefined) {
      raw[fullKey] = asConfigString(value);
    }
  }
  const stackSettings = readYaml(stackFile) as { config?: Record<string, unknown> } | null;
  for (const [fullKey, value] of Object.entries(stackSettings?.config ?? {})) {
    if (typeof value === "object" && value !== null && "secure" in value) {
      throw new StackFileError(
        `Pulumi.${stack}.yaml: ${fullKey} is an encrypted secret; set it with the Pulumi CLI, which can decrypt it.`,
      );
    }
    raw[fullKey] = asConfigString(value);
  }
  return raw;
}

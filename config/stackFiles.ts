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

/**
 * The project folder (the one holding Pulumi.yaml) at or above `dir`: the same whether the code runs from
 * its TypeScript sources or from the JavaScript built into out/build/.
 */
export function projectRootFrom(dir: string): string {
  for (let at = path.resolve(dir); ; at = path.dirname(at)) {
    if (fs.existsSync(path.join(at, "Pulumi.yaml"))) return at;
    if (path.dirname(at) === at) throw new StackFileError(`No Pulumi.yaml in ${dir} or any folder above it.`);
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

/** What a stack's files give its program, before any `pulumi config set`-style override. */
export interface StackFileConfig {
  /** Every value, keyed by `namespace:key`. */
  config: RawConfig;
  /** Keys whose value in Pulumi.<stack>.yaml is encrypted (`secure:`); only the Pulumi CLI can read them. */
  encryptedKeys: string[];
}

/**
 * The config a stack's program receives, as the Pulumi CLI assembles it: the project's declared defaults
 * and values from Pulumi.yaml, overridden by Pulumi.<stack>.yaml, keyed by `namespace:key`. A stack-file
 * key without a namespace belongs to the project, as the CLI reads it (`dbReplicaCount` is
 * `foobar-web:dbReplicaCount`).
 */
export function readStackFile(projectDir: string, stack: string): StackFileConfig {
  const project = readYaml(path.join(projectDir, "Pulumi.yaml")) as ProjectFile;
  const stackFile = path.join(projectDir, `Pulumi.${stack}.yaml`);
  if (!/^[A-Za-z0-9_.-]+$/.test(stack) || !fs.existsSync(stackFile)) {
    throw new StackFileError(
      `Unknown stack ${JSON.stringify(stack)}: there is no Pulumi.${stack}.yaml; stacks: ${listStacks(projectDir).join(", ")}.`,
    );
  }
  const inProject = (name: string) => (name.includes(":") ? name : `${project.name}:${name}`);
  const config: Record<string, string> = {};
  for (const [name, declaration] of Object.entries(project.config ?? {})) {
    const value =
      typeof declaration === "object" && declaration !== null
        ? (declaration.value ?? declaration.default)
        : declaration;
    if (value !== undefined) {
      config[inProject(name)] = asConfigString(value);
    }
  }
  const encryptedKeys: string[] = [];
  const stackSettings = readYaml(stackFile) as { config?: Record<string, unknown> } | null;
  for (const [name, value] of Object.entries(stackSettings?.config ?? {})) {
    const fullKey = inProject(name);
    if (typeof value === "object" && value !== null && "secure" in value) {
      encryptedKeys.push(fullKey);
      delete config[fullKey];
      continue;
    }
    config[fullKey] = asConfigString(value);
  }
  return { config, encryptedKeys };
}

/** Where a stack holds an encrypted value the caller did not give in clear. */
export function encryptedValueError(stack: string, fullKey: string): StackFileError {
  return new StackFileError(
    `Pulumi.${stack}.yaml: ${fullKey} is an encrypted secret that only the Pulumi CLI can decrypt; ` +
      `give a value for the plan with --set ${fullKey}=<value>.`,
  );
}

/** `readStackFile`'s config, for a stack without encrypted values. */
export function readStackConfig(projectDir: string, stack: string): RawConfig {
  const { config, encryptedKeys } = readStackFile(projectDir, stack);
  if (encryptedKeys.length > 0) {
    throw encryptedValueError(stack, encryptedKeys[0]);
  }
  return config;
}

/**
 * What check-policies reads, recognised by shape: its own resources document (which the offline plan's
 * `--json` also is), `pulumi stack export`, and `pulumi preview --json`. Every failure is one line naming
 * the input.
 */
import * as fs from "fs";
import { specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";
import { StackResource } from "../evaluate";
import { UNKNOWN } from "../../../policies/lib/unknowns";

export const INPUT_FORMATS =
  '{"resources": [...]} (this tool\'s own, or `npm start -- --json`), `pulumi stack export` or `pulumi preview --json`';

type Json = Record<string, unknown>;

/** A resources document that cannot be used; the message is one line and names the file. */
export class ResourcesFileError extends Error {
  name = "ResourcesFileError";
}

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Secrets in an export are ciphertext; a policy can read nothing from them, so they become unknown, which
 * every policy already treats as "cannot know".
 */
function withoutSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSecrets);
  if (!isObject(value)) return value;
  if (value[specialSigKey] === specialSecretSig) return UNKNOWN;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withoutSecrets(v)]));
}

const nameOfUrn = (urn: string) => urn.split("::").slice(3).join("::");

/**
 * The engine's resources as the evaluator takes them: named by their URN's name (made unique with the type
 * where two share one, as Pulumi allows), dependencies and parents by those names, provider resources and
 * the stack itself left out.
 */
function fromState(resources: ReturnType<typeof stateOf>[]): StackResource[] {
  const kept = resources.filter(
    (r) => !r.type.startsWith("pulumi:providers:") && r.type !== "pulumi:pulumi:Stack",
  );
  const count = new Map<string, number>();
  for (const r of kept) count.set(nameOfUrn(r.urn), (count.get(nameOfUrn(r.urn)) ?? 0) + 1);
  const unique = (r: (typeof kept)[number], name = nameOfUrn(r.urn)) =>
    (count.get(name) ?? 0) > 1 ? `${name} [${r.type}]` : name;
  const names = new Map(kept.map((r) => [r.urn, unique(r)]));
  return kept.map((r) => ({
    type: r.type,
    name: names.get(r.urn) as string,
    urn: r.urn,
    props: withoutSecrets(r.props) as Json,
    dependencies: [
      ...new Set(r.dependencies.map((d) => names.get(d)).filter((d): d is string => d !== undefined)),
    ],
    ...(r.parent && names.has(r.parent) ? { parent: names.get(r.parent) } : {}),
  }));
}

/** A resource's state in an export or a preview step, with the URN to fall back on. */
function stateOf(r: Json, urn?: unknown) {
  return {
    urn: String(r.urn ?? urn ?? ""),
    type: String(r.type ?? ""),
    // What policies see at `pulumi up`: the inputs, with the outputs the cloud filled in beneath them.
    props: { ...(isObject(r.outputs) ? r.outputs : {}), ...(isObject(r.inputs) ? r.inputs : {}) },
    parent: typeof r.parent === "string" ? r.parent : undefined,
    dependencies: Array.isArray(r.dependencies)
      ? r.dependencies.filter((v): v is string => typeof v === "string")
      : [],
  };
}

/** `pulumi stack export`: `{ version, deployment: { resources: [{ urn, type, inputs, outputs, ... }] } }`. */
function fromExport(deployment: Json, source: string): StackResource[] {
  if (!Array.isArray(deployment.resources)) {
    throw new ResourcesFileError(`${source} is a stack export without a "deployment.resources" list`);
  }
  return fromState(deployment.resources.filter(isObject).map((r) => stateOf(r)));
}

/** `pulumi preview --json`: `{ steps: [{ op, urn, newState: { type, inputs, parent, dependencies } }] }`. */
function fromPreview(steps: unknown[]): StackResource[] {
  return fromState(
    steps
      .filter(isObject)
      .filter((step) => step.op !== "delete" && step.op !== "discard" && isObject(step.newState))
      .map((step) => stateOf(step.newState as Json, step.urn)),
  );
}

/** The resources of a parsed input document, whichever of the formats it is. */
export function resourcesOf(document: unknown, source: string): StackResource[] {
  if (isObject(document) && isObject(document.deployment)) return fromExport(document.deployment, source);
  if (isObject(document) && Array.isArray(document.steps)) return fromPreview(document.steps);
  if (isObject(document) && "resources" in document) return parseResourcesDocument(document, source);
  throw new ResourcesFileError(`${source} is none of the inputs check-policies reads: ${INPUT_FORMATS}`);
}

/** Reads a file, or standard input for "-", and returns its resources. */
export function readResources(file: string, displayName: string): StackResource[] {
  const source = file === "-" ? "standard input" : `resources file ${JSON.stringify(displayName)}`;
  let text: string;
  try {
    text = fs.readFileSync(file === "-" ? 0 : file, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const reason =
      code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a directory" : (e as Error).message;
    throw new ResourcesFileError(`cannot read ${source}: ${reason.replace(/\s+/g, " ")}`);
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (e) {
    throw new ResourcesFileError(`${source} is not valid JSON: ${(e as Error).message.replace(/\s+/g, " ")}`);
  }
  return resourcesOf(document, source);
}

/**
 * Checks a parsed resources document and returns its resources; `file` names it in messages
 * (`resources file "x.json"`, `standard input`).
 */
function parseResourcesDocument(document: unknown, file: string): StackResource[] {
  if (!isObject(document) || !Array.isArray(document.resources)) {
    throw new ResourcesFileError(`${file} has no "resources" list`);
  }
  const resources: StackResource[] = [];
  const seen = new Map<string, number>();
  document.resources.forEach((entry: unknown, i: number) => {
    const at = `${file}: resources[${i}]`;
    if (!isObject(entry)) throw new ResourcesFileError(`${at} is not an object`);
    const { type, name, props, dependencies, parent, urn } = entry;
    if (typeof type !== "string" || type.trim() === "") {
      throw new ResourcesFileError(
        `${at} has no "type" (a Pulumi type token such as gcp:compute/firewall:Firewall)`,
      );
    }
    if (typeof name !== "string" || name.trim() === "") throw new ResourcesFileError(`${at} has no "name"`);
    const label = `${at} (${JSON.stringify(name)})`;
    if (props !== undefined && !isObject(props))
      throw new ResourcesFileError(`${label} has "props" that are not an object`);
    if (
      dependencies !== undefined &&
      (!Array.isArray(dependencies) || dependencies.some((d) => typeof d !== "string"))
    ) {
      throw new ResourcesFileError(`${label} has "dependencies" that are not a list of resource names`);
    }
    // The offline plan writes `"parent": null` for a top-level resource.
    if (parent !== undefined && parent !== null && typeof parent !== "string") {
      throw new ResourcesFileError(`${label} has a "parent" that is not a resource name`);
    }
    if (urn !== undefined && typeof urn !== "string")
      throw new ResourcesFileError(`${label} has a "urn" that is not a string`);
    const previous = seen.get(name);
    if (previous !== undefined) {
      throw new ResourcesFileError(
        `${file}: duplicate resource name ${JSON.stringify(name)} (resources[${previous}] and resources[${i}])`,
      );
    }
    seen.set(name, i);
    resources.push({
      type,
      name,
      props: (props as Record<string, unknown> | undefined) ?? {},
      ...(dependencies !== undefined ? { dependencies: dependencies as string[] } : {}),
      ...(typeof parent === "string" ? { parent } : {}),
      ...(urn !== undefined ? { urn } : {}),
    });
  });
  for (const resource of resources) {
    const missing = [
      ...(resource.dependencies ?? []),
      ...(resource.parent !== undefined ? [resource.parent] : []),
    ].find((n) => !seen.has(n));
    if (missing !== undefined) {
      throw new ResourcesFileError(
        `${file}: resource ${JSON.stringify(resource.name)} refers to ${JSON.stringify(missing)}, which is not in the file`,
      );
    }
  }
  return resources;
}

/**
 * What check-policies reads, recognised by shape: its own resources document (which the offline plan's
 * `--json` also is), `pulumi stack export`, and `pulumi preview --json`. Every failure is one line naming
 * the input.
 */
import * as fs from "fs";
import { specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";
import { StackResource } from "../evaluate";
import { parseResourcesDocument, ResourcesFileError } from "./resources";
import { UNKNOWN } from "../../../policies/lib/unknowns";

export const INPUT_FORMATS =
  '{"resources": [...]} (this tool\'s own, or `npm start -- --json`), `pulumi stack export` or `pulumi preview --json`';

type Json = Record<string, unknown>;

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

interface StateResource {
  urn: string;
  type: string;
  props: Json;
  parent?: string;
  dependencies: string[];
}

const nameOfUrn = (urn: string) => urn.split("::").slice(3).join("::");

/**
 * The engine's resources as the evaluator takes them: named by their URN's name (made unique with the type
 * where two share one, as Pulumi allows), dependencies and parents by those names, provider resources and
 * the stack itself left out.
 */
function fromState(resources: StateResource[]): StackResource[] {
  const kept = resources.filter(
    (r) => !r.type.startsWith("pulumi:providers:") && r.type !== "pulumi:pulumi:Stack",
  );
  const count = new Map<string, number>();
  for (const r of kept) count.set(nameOfUrn(r.urn), (count.get(nameOfUrn(r.urn)) ?? 0) + 1);
  const names = new Map(
    kept.map((r) => {
      const name = nameOfUrn(r.urn);
      return [r.urn, (count.get(name) ?? 0) > 1 ? `${name} [${r.type}]` : name];
    }),
  );
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

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

/** `pulumi stack export`: `{ version, deployment: { resources: [{ urn, type, inputs, outputs, ... }] } }`. */
function fromExport(deployment: Json, source: string): StackResource[] {
  if (!Array.isArray(deployment.resources)) {
    throw new ResourcesFileError(`${source} is a stack export without a "deployment.resources" list`);
  }
  return fromState(
    deployment.resources.filter(isObject).map((r) => ({
      urn: String(r.urn ?? ""),
      type: String(r.type ?? ""),
      // What policies see at `pulumi up`: the inputs, with the outputs the cloud filled in beneath them.
      props: { ...(isObject(r.outputs) ? r.outputs : {}), ...(isObject(r.inputs) ? r.inputs : {}) },
      parent: typeof r.parent === "string" ? r.parent : undefined,
      dependencies: stringList(r.dependencies),
    })),
  );
}

/** `pulumi preview --json`: `{ steps: [{ op, urn, newState: { type, inputs, parent, dependencies } }] }`. */
function fromPreview(steps: unknown[]): StackResource[] {
  return fromState(
    steps
      .filter(isObject)
      .filter((step) => step.op !== "delete" && step.op !== "discard" && isObject(step.newState))
      .map((step) => {
        const state = step.newState as Json;
        return {
          urn: String(state.urn ?? step.urn ?? ""),
          type: String(state.type ?? ""),
          props: {
            ...(isObject(state.outputs) ? state.outputs : {}),
            ...(isObject(state.inputs) ? state.inputs : {}),
          },
          parent: typeof state.parent === "string" ? state.parent : undefined,
          dependencies: stringList(state.dependencies),
        };
      }),
  );
}

/** The resources of a parsed input document, whichever of the formats it is. */
export function resourcesOf(document: unknown, source: string): StackResource[] {
  if (isObject(document) && isObject(document.deployment)) return fromExport(document.deployment, source);
  if (isObject(document) && Array.isArray(document.steps)) return fromPreview(document.steps);
  if (isObject(document) && "resources" in document) {
    if (!Array.isArray(document.resources)) return parseResourcesDocument(document, source);
    // The offline plan writes `"parent": null` for a top-level resource.
    const resources = document.resources.map((r) =>
      isObject(r) && r.parent === null
        ? Object.fromEntries(Object.entries(r).filter(([k]) => k !== "parent"))
        : r,
    );
    return parseResourcesDocument({ resources }, source);
  }
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

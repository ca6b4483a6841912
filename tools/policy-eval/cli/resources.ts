/** Reading the resources document check-policies takes: `{ "resources": [ { type, name, props, ... } ] }`. */
import { StackResource } from "../evaluate";

/** A resources document that cannot be used; the message is one line and names the file. */
export class ResourcesFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ResourcesFileError";
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Checks a parsed resources document and returns its resources; `file` names it in messages
 * (`resources file "x.json"`, `standard input`).
 */
export function parseResourcesDocument(document: unknown, file: string): StackResource[] {
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
    if (parent !== undefined && typeof parent !== "string") {
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
      ...(parent !== undefined ? { parent } : {}),
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

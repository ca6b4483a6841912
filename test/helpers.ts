import { strict as assert } from "assert";
import { PlannedResource } from "../tools/offline/mockRun";

/** Resources of one type, optionally only the children of one component. */
export function ofType(resources: PlannedResource[], type: string, parent?: string): PlannedResource[] {
  return resources.filter((r) => r.type === type && (parent === undefined || r.parent === parent));
}

/** The one resource of a type (under a parent); fails the test when there are none or several. */
export function onlyOfType(resources: PlannedResource[], type: string, parent?: string): PlannedResource {
  const found = ofType(resources, type, parent);
  assert.equal(
    found.length,
    1,
    `expected exactly one ${type}${parent ? ` under ${parent}` : ""}, found ${found.length}`,
  );
  return found[0];
}

/** The resource with this logical name; fails the test when it is missing. */
export function named(resources: PlannedResource[], name: string): PlannedResource {
  const found = resources.find((r) => r.name === name);
  assert.ok(found, `expected a resource named ${name}`);
  return found;
}

/** Count of resources by type, for comparing a whole plan at a glance. */
export function countByType(resources: PlannedResource[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of resources) {
    counts[r.type] = (counts[r.type] ?? 0) + 1;
  }
  return counts;
}

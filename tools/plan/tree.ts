import { PlannedResource } from "../offline/mockRun";

/** The resources as an indented tree, component → children, in the order the program declared them. */
export function renderTree(resources: PlannedResource[]): string[] {
  const children = new Map<string | null, PlannedResource[]>();
  for (const r of resources) {
    const siblings = children.get(r.parent) ?? [];
    siblings.push(r);
    children.set(r.parent, siblings);
  }
  const lines: string[] = [];
  const walk = (parent: string | null, depth: number) => {
    for (const r of children.get(parent) ?? []) {
      lines.push(`${"  ".repeat(depth)}+ ${r.type}  ${r.name}`);
      walk(r.name, depth + 1);
    }
  };
  walk(null, 0);
  return lines;
}

/** How many resources of each type, most common first, then by type. */
export function countByType(resources: PlannedResource[]): [string, number][] {
  const counts = new Map<string, number>();
  for (const r of resources) counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

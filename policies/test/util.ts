/**
 * The compliant stack the policy tests start from, and helpers to change one thing in it. Policies are
 * called directly, through harness.ts.
 */
import * as fs from "fs";
import * as path from "path";
import { TestResource } from "./harness";

export { cantRun, run, runOn, violation } from "./harness";
export type { Finding, Settings, TestResource } from "./harness";

/** Resource properties as tests build them: plain JSON, freely changed. */
export type Props = TestResource["props"];

export const FIXTURE_PATH = path.join(__dirname, "fixtures", "compliant-stack.json");
export const CONFIG_DIR = path.join(__dirname, "..", "config");

const fixtureText = fs.readFileSync(FIXTURE_PATH, "utf8");

/**
 * A fresh copy of the compliant full stack: a hand-written stack shaped like the program's (same kinds of
 * resources, with outputs such as self-links), not a recording of it. It differs from what the program registers
 * (resource names, an INGRESS database rule with sourceTags where the program uses EGRESS allow and deny rules, a
 * database user on host "%", among others), so the program's own verdict is tested in
 * test/program/policyVerdict.test.ts.
 */
export function compliantStack(): TestResource[] {
  return (JSON.parse(fixtureText) as { resources: TestResource[] }).resources;
}

/** The compliant stack with one change made to it. */
export function stackWith(
  change: (byName: (name: string) => TestResource, all: TestResource[]) => void,
): TestResource[] {
  const resources = compliantStack();
  const byName = (name: string) => {
    const found = resources.find((r) => r.name === name);
    if (!found) throw new Error(`no resource ${name} in the fixture`);
    return found;
  };
  change(byName, resources);
  return resources;
}

/** A copy of the props of one resource of the compliant stack. */
export function compliantProps(name: string): Props {
  const found = compliantStack().find((r) => r.name === name);
  if (!found) throw new Error(`no resource ${name} in the fixture`);
  return found.props;
}

/** Deep copy, to start each case from the compliant props. */
export function copy<T>(value: T): T {
  return structuredClone(value);
}

/** A compliant instance template, made like the web VMs (for managed instance groups). */
export function compliantTemplate(): Props {
  const vm = compliantProps("web-0");
  return {
    namePrefix: "foobar-web-",
    machineType: vm.machineType,
    labels: vm.labels,
    tags: vm.tags,
    disks: [{ boot: true, autoDelete: true, sourceImage: "debian-cloud/debian-12" }],
    networkInterfaces: vm.networkInterfaces,
    canIpForward: false,
    shieldedInstanceConfig: vm.shieldedInstanceConfig,
    metadata: vm.metadata,
    serviceAccount: vm.serviceAccount,
  };
}

/** Removes resources from a set, and from the other resources' dependencies. */
export function remove(all: TestResource[], ...names: string[]): void {
  for (const name of names) {
    const at = all.findIndex((r) => r.name === name);
    if (at < 0) throw new Error(`no resource ${name} in the set`);
    all.splice(at, 1);
  }
  for (const r of all) {
    if (r.dependencies) r.dependencies = r.dependencies.filter((d) => !names.includes(d));
  }
}

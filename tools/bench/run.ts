/**
 * `npm run bench`: times the offline plan against its floor and against the number of web VMs (which a
 * managed group's target size should not make any dearer to plan), the policy pack's throughput, and the
 * real engine's preview of dev against an empty program's, in one run on one machine. Prints a Markdown
 * table; medians of several runs, the rows measured in turn.
 */
import * as os from "os";
import * as path from "path";
import { measurePreviews } from "./enginePreviews";
import { Case, measure, Measurement, median } from "./measure";

const runs = Number(process.env.BENCH_RUNS ?? "5");
// tools/build/run.mjs, which runs this bench, hands its compile cache on in NODE_COMPILE_CACHE; the cases and
// the real-engine previews start without it, as a user's shell would, unless a case asks for it.
const compileCache = process.env.NODE_COMPILE_CACHE;
delete process.env.NODE_COMPILE_CACHE;
const diagram = path.join(os.tmpdir(), "bench-architecture.svg");
const plan = (...extra: string[]) => ["--stack", "dev", "--json", "--diagram", diagram, ...extra];

const FLOOR = "tools/bench/cases/floor";
const PLAN = "tools/plan/cli";
const vmsCase = (n: number): Case => ({
  name: `offline plan, ${n} web VMs`,
  entry: PLAN,
  args: plan("--set", `webInstanceCount=${n}`),
  launch: "npm-start",
});
// Keyed, so that the ratios below name the rows they compare.
const cases = {
  floor: {
    name: "true floor: node loading @pulumi/pulumi, policy and every provider class the dev stack uses (no loader)",
    entry: FLOOR,
    args: [],
    launch: "built",
  },
  loaderFloor: { name: "the same through the tsx TypeScript loader", entry: FLOOR, args: [], launch: "tsx" },
  dev: {
    name: "offline plan of dev (npm start: built JavaScript)",
    entry: PLAN,
    args: plan(),
    launch: "npm-start",
  },
  devTsx: { name: "offline plan of dev through the tsx loader", entry: PLAN, args: plan(), launch: "tsx" },
  vms3: vmsCase(3),
  vms600: vmsCase(600),
  pack: {
    name: "policy pack alone, 10,000 resources",
    entry: "tools/bench/cases/policies",
    args: ["10000"],
    launch: "built",
  },
} satisfies Record<string, Case>;
// Where Node.js has no compile cache (before 22.8), npm start runs without one and the row is left out.
const cachedFloor: Case = {
  name: "the same with Node's compile cache, which npm start uses (Node.js 22.8 and later)",
  entry: FLOOR,
  args: [],
  launch: "built",
  env: { NODE_COMPILE_CACHE: compileCache ?? "" },
};
const { floor: floorCase, loaderFloor: loaderCase, ...planCases } = cases;
const all: Record<string, Case> = compileCache
  ? { floor: floorCase, loaderFloor: loaderCase, cachedFloor, ...planCases }
  : cases;
process.stderr.write(`bench: ${Object.keys(all).length} cases in turn ×${runs}\n`);
const measured = measure(all, runs);
const rows = Object.keys(all).map((key) => ({ name: all[key].name, m: measured[key] }));
const { floor, loaderFloor, dev, devTsx, vms3, vms600, pack } = measured as Record<
  keyof typeof cases,
  Measurement
>;
process.stderr.write(`bench: real-engine previews, dev and an empty program in turn ×${runs}\n`);
const previews = (() => {
  try {
    return measurePreviews(runs);
  } catch (err) {
    // The other rows are measured by now: report them, and why these are missing.
    return `not measured: ${(err as Error).message.split("\n")[0]}`;
  }
})();

const fmt = (x: number, digits = 0) => x.toFixed(digits);
const lines = [
  `Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? "unknown CPU"}, ${fmt(os.totalmem() / 2 ** 30, 1)} GiB, Node.js ${process.version}, ${os.platform()} ${os.release()}`,
  `Runs per row: ${runs}; wall time is spawn to exit of a fresh process; medians.`,
  "",
  "| case | wall time (ms) | peak memory (MiB) |",
  "| --- | ---: | ---: |",
  ...rows.map((r) => `| ${r.name} | ${fmt(median(r.m.wallMs))} | ${fmt(median(r.m.peakRssMb))} |`),
  ...(typeof previews !== "string"
    ? [
        `| pulumi preview of an empty program (real engine) | ${fmt(median(previews.emptyMs))} | |`,
        `| pulumi preview of dev (real engine, emulated providers, no policy pack) | ${fmt(median(previews.devMs))} | |`,
      ]
    : []),
  "",
];

const floorMs = median(floor.wallMs);
const devMs = median(dev.wallMs);
// The web VMs are one managed group whatever its size, so 600 VMs should plan as fast as 3, within noise.
const vmRatio = median(vms600.wallMs) / median(vms3.wallMs);
// Each run prints its own evaluation time; the table takes the run with the median rate.
const packRuns = pack.stdouts
  .map(
    (out) =>
      JSON.parse(out.trim().split("\n").pop() ?? "{}") as {
        resources: number;
        resourcePolicies: number;
        seconds: number;
        configSeconds: number;
        resourcesPerSecond: number;
        warmResourcesPerSecond: number;
      },
  )
  .sort((a, b) => a.resourcesPerSecond - b.resourcesPerSecond);
const packStats = packRuns[Math.floor(packRuns.length / 2)];
const TARGET_RATE = 30_000;
lines.push(
  "| target | measured | met |",
  "| --- | --- | --- |",
  `| npm start on dev ≤ 1.5× the true floor | ${fmt(devMs / floorMs, 2)}× (${fmt(devMs)} ms vs ${fmt(floorMs)} ms) | ${devMs <= 1.5 * floorMs ? "yes" : "no"}${compileCache ? " (npm start with the compile cache, the floor without)" : ""} |`,
  `| (against the floor with the compile cache too) | ${compileCache ? `${fmt(devMs / median(measured.cachedFloor.wallMs), 2)}× (${fmt(devMs)} ms vs ${fmt(median(measured.cachedFloor.wallMs))} ms)` : `no compile cache on Node.js ${process.version}`} | |`,
  `| (what the built JavaScript saves) | through tsx the plan takes ${fmt(median(devTsx.wallMs))} ms, ${fmt(median(devTsx.wallMs) / floorMs, 2)}× the true floor; the loader alone costs ${fmt(median(loaderFloor.wallMs) - floorMs)} ms | |`,
  `| web VM count: no cost to plan (one group, the same resources) | ${fmt(vmRatio, 2)}× for 600 VMs against 3 (${fmt(median(vms600.wallMs))} ms vs ${fmt(median(vms3.wallMs))} ms); noise between identical rows here is up to ~15% | ${vmRatio <= 1.15 ? "yes" : "within noise? rerun"} |`,
  typeof previews !== "string"
    ? `| dev preview on the real engine ≤ 2× an empty program's | ${fmt(median(previews.devMs) / median(previews.emptyMs), 2)}× (${fmt(median(previews.devMs))} ms vs ${fmt(median(previews.emptyMs))} ms) | ${median(previews.devMs) <= 2 * median(previews.emptyMs) ? "yes" : "no"} |`
    : `| dev preview on the real engine ≤ 2× an empty program's | ${previews} | |`,
  `| policy evaluation ≥ 30,000 resource validations/s | ${fmt(packStats.resourcesPerSecond)} resources/s (median run; runs ranged ${fmt(packRuns[0].resourcesPerSecond)}–${fmt(packRuns[packRuns.length - 1].resourcesPerSecond)}), each through all ${packStats.resourcePolicies} resource policies and the stack policies; ${fmt(packStats.seconds * 1000)} ms for ${packStats.resources} resources, after ${fmt(packStats.configSeconds * 1000)} ms resolving prod's config; once warm, ${fmt(median(packRuns.map((r) => r.warmResourcesPerSecond)))} resources/s | ${packStats.resourcesPerSecond >= TARGET_RATE ? "yes" : "no"} |`,
  "",
);
process.stdout.write(lines.join("\n"));

/**
 * `npm run bench`: times the offline plan against its floor and its growth with the number of VMs, and the
 * policy pack's throughput, in one run on one machine. Prints a Markdown table; medians of several runs.
 */
import * as os from "os";
import * as path from "path";
import { measure, median, Measurement } from "./measure";

const runs = Number(process.env.BENCH_RUNS ?? "5");
const diagram = path.join(os.tmpdir(), "bench-architecture.svg");
const plan = (...extra: string[]) => ["--stack", "dev", "--json", "--diagram", diagram, ...extra];

interface Row {
  name: string;
  m: Measurement;
}

const rows: Row[] = [];
const run = (name: string, entry: string, args: string[]) => {
  process.stderr.write(`bench: ${name} ×${runs}\n`);
  const m = measure(entry, args, runs);
  rows.push({ name, m });
  return m;
};

const floor = run("floor: node + @pulumi/pulumi + the @pulumi/gcp modules used", "bench/cases/floor.ts", []);
const dev = run("offline plan of dev (npm start)", "plan/cli.ts", plan());
const vms = [3, 30, 300, 600].map((n) => ({
  n,
  m: run(`offline plan, ${n} web VMs`, "plan/cli.ts", plan("--set", `webInstanceCount=${n}`)),
}));
const pack = run("policy pack alone, 10,000 resources", "bench/cases/policies.ts", ["10000"]);

const fmt = (x: number, digits = 0) => x.toFixed(digits);
const lines = [
  `Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? "unknown CPU"}, ${fmt(os.totalmem() / 2 ** 30, 1)} GiB, Node.js ${process.version}, ${os.platform()} ${os.release()}`,
  `Runs per row: ${runs}; wall time is spawn to exit of a fresh process; medians.`,
  "",
  "| case | wall time (ms) | peak memory (MiB) |",
  "| --- | ---: | ---: |",
  ...rows.map((r) => `| ${r.name} | ${fmt(median(r.m.wallMs))} | ${fmt(median(r.m.peakRssMb))} |`),
  "",
];

const floorMs = median(floor.wallMs);
const devMs = median(dev.wallMs);
const perVm = (a: { n: number; m: Measurement }, b: { n: number; m: Measurement }) =>
  (median(b.m.wallMs) - median(a.m.wallMs)) / (b.n - a.n);
// Between 3 and 30 VMs the difference is within the machine's noise; the two long spans tell linear
// (equal cost per VM) from quadratic growth (the second span costing ~2.7× the first per VM).
const costPerVm30to300 = perVm(vms[1], vms[2]);
const costPerVm300to600 = perVm(vms[2], vms[3]);
const packStats = JSON.parse(pack.stdout.trim().split("\n").pop() ?? "{}") as {
  resources: number;
  resourcePolicies: number;
  seconds: number;
  resourcesPerSecond: number;
};
lines.push(
  "| target | measured | met |",
  "| --- | --- | --- |",
  `| dev plan ≤ 2× the floor | ${fmt(devMs / floorMs, 2)}× (${fmt(devMs)} ms vs ${fmt(floorMs)} ms) | ${devMs <= 2 * floorMs ? "yes" : "no"} |`,
  `| cost linear in VMs | ${fmt(costPerVm30to300, 1)} ms per VM from 30 to 300, ${fmt(costPerVm300to600, 1)} ms per VM from 300 to 600 (ratio ${fmt(costPerVm300to600 / costPerVm30to300, 2)}; linear ≤ 1.5) | ${costPerVm300to600 <= 1.5 * costPerVm30to300 ? "yes" : "no"} |`,
  `| policy evaluation ≥ 20,000 resource validations/s | ${fmt(packStats.resourcesPerSecond)} resources/s, each through all ${packStats.resourcePolicies} resource policies; ${fmt(packStats.seconds * 1000)} ms for ${packStats.resources} resources | ${packStats.resourcesPerSecond >= 20000 ? "yes" : "no"} |`,
  "",
);
process.stdout.write(lines.join("\n"));

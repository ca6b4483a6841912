import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { projectRootFrom } from "../../config/stackFiles";

export interface Measurement {
  wallMs: number[];
  peakRssMb: number[];
  /** The stdout of each run, for cases that report numbers of their own. */
  stdouts: string[];
}

const root = projectRootFrom(__dirname);

/** How a case is started: as `npm start` starts the plan, straight from the build, or through tsx. */
export type Launch = "npm-start" | "built" | "tsx";

function command(launch: Launch, entry: string): string[] {
  switch (launch) {
    case "npm-start":
      return [
        path.join(root, "out", "build", "tools", "bench", "reportRss.js"),
        "tools/build/run.mjs",
        entry,
      ];
    case "built":
      return [
        path.join(root, "out", "build", "tools", "bench", "reportRss.js"),
        path.join("out", "build", `${entry}.js`),
      ];
    case "tsx":
      return [require.resolve("tsx/cjs"), path.join(root, "tools", "bench", "reportRss.ts"), `${entry}.ts`];
  }
}

/** One row of the table: an entry point of the repository (a path without extension) and its arguments. */
export interface Case {
  name: string;
  entry: string;
  args: string[];
  launch: Launch;
  /** Environment variables of its own. */
  env?: Record<string, string>;
}

/**
 * Runs every case `runs` times, each in a fresh node process, taking the cases in turn (one run of each,
 * then the next round), so that a machine that slows down or speeds up during the bench does so for every
 * row alike and the ratios between rows hold. Records the wall time of each run from spawn to exit and the
 * peak resident memory the child reports.
 */
export function measure<K extends string>(cases: Record<K, Case>, runs: number): Record<K, Measurement> {
  const report = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "bench-")), "rss");
  const keys = Object.keys(cases) as K[];
  const results = Object.fromEntries(
    keys.map((key): [K, Measurement] => [key, { wallMs: [], peakRssMb: [], stdouts: [] }]),
  ) as Record<K, Measurement>;
  for (let i = 0; i < runs; i++) {
    keys.forEach((c) => {
      const { entry, args, launch, env } = cases[c];
      const [rss, ...rest] = command(launch, entry);
      const preload = launch === "tsx" ? ["--require", rss, "--require", rest[0]] : ["--require", rss];
      const main = launch === "tsx" ? rest.slice(1) : rest;
      const started = process.hrtime.bigint();
      const child = spawnSync(process.execPath, [...preload, ...main, ...args], {
        cwd: root,
        env: { ...process.env, ...env, BENCH_RSS_FILE: report },
        encoding: "utf8",
        maxBuffer: 1 << 30,
      });
      const wall = Number(process.hrtime.bigint() - started) / 1e6;
      if (child.status !== 0 && child.status !== 1) {
        throw new Error(`${entry} ${args.join(" ")} exited ${child.status}: ${child.stderr}`);
      }
      results[c].wallMs.push(wall);
      results[c].peakRssMb.push(Number(fs.readFileSync(report, "utf8")) / 1024);
      results[c].stdouts.push(child.stdout);
    });
  }
  return results;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

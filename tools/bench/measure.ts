import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

export interface Measurement {
  wallMs: number[];
  peakRssMb: number[];
  /** The stdout of each run, for cases that report numbers of their own. */
  stdouts: string[];
}

const root = path.resolve(__dirname, "../..");

/**
 * Runs a TypeScript entry point in a fresh node process, as `npm start` does, `runs` times; records the
 * wall time of each run from spawn to exit and the peak resident memory the child reports.
 */
export function measure(entry: string, args: string[], runs: number): Measurement {
  const report = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "bench-")), "rss");
  const result: Measurement = { wallMs: [], peakRssMb: [], stdouts: [] };
  for (let i = 0; i < runs; i++) {
    const started = process.hrtime.bigint();
    const child = spawnSync(
      process.execPath,
      [
        "--require",
        "tsx/cjs",
        "--require",
        path.join(__dirname, "reportRss.ts"),
        path.join(root, entry),
        ...args,
      ],
      { cwd: root, env: { ...process.env, BENCH_RSS_FILE: report }, encoding: "utf8", maxBuffer: 1 << 30 },
    );
    const wall = Number(process.hrtime.bigint() - started) / 1e6;
    if (child.status !== 0 && child.status !== 1) {
      throw new Error(`${entry} ${args.join(" ")} exited ${child.status}: ${child.stderr}`);
    }
    result.wallMs.push(wall);
    result.peakRssMb.push(Number(fs.readFileSync(report, "utf8")) / 1024);
    result.stdouts.push(child.stdout);
  }
  return result;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

// Preloaded into every benchmarked process: writes its peak resident set size (KiB) where the runner asks.
import * as fs from "fs";

process.on("exit", () => {
  fs.writeFileSync(process.env.BENCH_RSS_FILE ?? "/dev/null", String(process.resourceUsage().maxRSS));
});

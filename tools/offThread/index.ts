/**
 * The tools' CPU-heavy jobs, run on a worker thread: for the simulated cloud, bcrypt at the random
 * provider's cost and a certificate signed with @peculiar/x509; for the offline plan, Graphviz's layout of
 * the diagram. On the main thread they took about a third of a second of the plan (with loading x509's
 * ASN.1 schemas and compiling Graphviz), during which nothing else moved. On a second core the program goes
 * on registering resources while they are computed, and the worker loads their libraries while the main
 * thread loads the SDK.
 *
 * One worker per process, started by `warmUp` or by the first job. It holds no state between jobs, so
 * simulated clouds can share it, and it keeps the process alive only while a job is pending.
 */
import * as path from "node:path";
import { Worker } from "node:worker_threads";
import type { JobAnswer, JobName, JobRequest, Jobs } from "./worker";

interface Pending {
  resolve(value: unknown): void;
  reject(err: Error): void;
}

let worker: Worker | undefined;
const pending = new Map<number, Pending>();
let nextId = 0;

function failAll(err: Error): void {
  for (const job of pending.values()) job.reject(err);
  pending.clear();
  worker = undefined;
}

function start(): Worker {
  // Run from source (tests, tsx), the worker needs the same TypeScript loader; built, it is plain JS.
  const fromSource = __filename.endsWith(".ts");
  const created = new Worker(path.join(__dirname, `worker${path.extname(__filename)}`), {
    execArgv: fromSource ? [...process.execArgv, "--require", require.resolve("tsx/cjs")] : undefined,
  });
  created.on("message", (answer: JobAnswer) => {
    const job = pending.get(answer.id);
    pending.delete(answer.id);
    if (pending.size === 0) created.unref();
    if ("error" in answer) job?.reject(new Error(answer.error));
    else job?.resolve(answer.result);
  });
  created.on("error", failAll);
  created.on("exit", (code) => failAll(new Error(`the tools' worker thread exited with ${code}`)));
  // After the listeners: adding a "message" listener refs the worker's port again.
  created.unref();
  return created;
}

/** Starts the worker and has it load what `jobs` need, so its start-up overlaps the caller's. */
export function warmUp(...jobs: JobName[]): void {
  worker ??= start();
  worker.postMessage({ prepare: jobs } satisfies JobRequest);
}

/** Runs `job` on the worker thread. */
export function offThread<K extends JobName>(
  job: K,
  ...args: Parameters<Jobs[K]>
): Promise<Awaited<ReturnType<Jobs[K]>>> {
  const target = (worker ??= start());
  if (pending.size === 0) target.ref();
  const id = nextId++;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
    target.postMessage({ id, job, args } satisfies JobRequest);
  });
}

/**
 * The tools' CPU-heavy jobs, run on a worker thread: for the simulated cloud, bcrypt at the random
 * provider's cost, keys with their OpenSSH forms (sshpk) and a certificate signed with @peculiar/x509; for
 * the offline plan, Graphviz's layout of the diagram. On the main thread they took about a third of a second
 * of the plan (with loading x509's ASN.1 schemas and compiling Graphviz), during which nothing else moved.
 * On a second core the program goes on registering resources while they are computed, and the worker loads
 * their libraries while the main thread loads the SDK.
 *
 * One worker per process, started by `warmUp` or by the first job. It holds no state between jobs, so
 * simulated clouds can share it, and it keeps the process alive only while one of its jobs is pending. A
 * worker that dies fails its own pending jobs; the next job starts a new one.
 */
import * as path from "node:path";
import { Worker } from "node:worker_threads";
import type { JobAnswer, JobName, JobRequest, Jobs } from "./worker";

type Pending = { resolve: (value: unknown) => void; reject: (err: Error) => void };
/** A worker and its pending jobs, by id. */
type Host = { worker: Worker; pending: Map<number, Pending> };

let current: Host | undefined;
let nextId = 0;

/** Takes job `id` off its worker's list; a worker with no job left no longer keeps the process alive. */
function settle({ worker, pending }: Host, id: number): Pending | undefined {
  const job = pending.get(id);
  pending.delete(id);
  if (pending.size === 0) worker.unref();
  return job;
}

function newWorker(): Worker {
  const file = path.join(__dirname, `worker${path.extname(__filename)}`);
  if (!__filename.endsWith(".ts")) return new Worker(file);
  // Run from source (tests, tsx), the worker needs the TypeScript loader too. It is required here rather
  // than given in execArgv, so the worker inherits the parent's flags as the built path's does (an explicit
  // execArgv that repeats flags such as --stack-size makes `new Worker` throw).
  const bootstrap = `require(${JSON.stringify(require.resolve("tsx/cjs"))}); require(${JSON.stringify(file)});`;
  return new Worker(bootstrap, { eval: true });
}

function start(): Host {
  const host: Host = { worker: newWorker(), pending: new Map() };
  const { worker, pending } = host;
  // Events of a worker that was replaced reach only its own jobs, never its successor's.
  const fail = (err: Error): void => {
    for (const job of pending.values()) job.reject(err);
    pending.clear();
    if (current === host) current = undefined;
    void worker.terminate();
  };
  worker.on("message", (answer: JobAnswer) => {
    const job = settle(host, answer.id);
    if ("error" in answer) job?.reject(Object.assign(new Error(answer.error.message), answer.error));
    else job?.resolve(answer.result);
  });
  worker.on("messageerror", fail);
  worker.on("error", fail);
  worker.on("exit", (code) => fail(new Error(`the tools' worker thread exited with ${code}`)));
  // After the listeners: adding a "message" listener refs the worker's port again.
  worker.unref();
  return host;
}

/**
 * Starts the worker and has it load what `jobs` need, so its start-up overlaps the caller's. A worker that
 * cannot start shows when the first job runs.
 */
export function warmUp(...jobs: JobName[]): void {
  try {
    current ??= start();
    current.worker.postMessage({ prepare: jobs } satisfies JobRequest);
  } catch {
    current = undefined;
  }
}

/** Runs `job` on the worker thread. */
export async function offThread<K extends JobName>(
  job: K,
  ...args: Parameters<Jobs[K]>
): Promise<Awaited<ReturnType<Jobs[K]>>> {
  const host = (current ??= start());
  const { worker, pending } = host;
  const id = nextId++;
  const answer = new Promise<Awaited<ReturnType<Jobs[K]>>>((resolve, reject) =>
    pending.set(id, { resolve: resolve as (value: unknown) => void, reject }),
  );
  if (pending.size === 1) worker.ref();
  try {
    // Throws, for one, on arguments that cannot be copied to another thread (functions, Outputs).
    worker.postMessage({ id, job, args } satisfies JobRequest);
  } catch (err) {
    settle(host, id)?.reject(err as Error);
  }
  return answer;
}

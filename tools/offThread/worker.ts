/**
 * The worker thread of offThread/index.ts: runs the jobs the main thread posts and answers each with its
 * result or its error (message, name, stack and code).
 */
import { parentPort } from "node:worker_threads";
import { Graphviz } from "@hpcc-js/wasm-graphviz";
import { bcryptHash } from "../sim/random";
import { loadX509, privateKey, selfSignedCert } from "../sim/tls";

const jobs = {
  bcryptHash,
  privateKey,
  selfSignedCert,
  /** A Graphviz graph as SVG, by Graphviz compiled to WebAssembly: nothing to install on the machine. */
  svgOf: async (dot: string): Promise<string> => (await Graphviz.load()).dot(dot),
};

export type Jobs = typeof jobs;
export type JobName = keyof Jobs;

/** What a job loads before its first run: x509's ASN.1 schemas take about a tenth of a second to load. */
const preparations: Partial<Record<JobName, () => Promise<unknown>>> = {
  selfSignedCert: loadX509,
  // V8 compiles the WebAssembly on background threads.
  svgOf: () => Graphviz.load(),
};

/** A job to run, or (with no id) jobs to get ready for. */
export type JobRequest = { id: number; job: JobName; args: unknown[] } | { prepare: JobName[] };

/** A failed job's error as it can cross threads: its message, and its name, stack and code if any. */
export interface JobError {
  message: string;
  name?: string;
  stack?: string;
  code?: string;
}

export type JobAnswer = { id: number; result: unknown } | { id: number; error: JobError };

function asJobError(err: unknown): JobError {
  if (!(err instanceof Error)) return { message: String(err) };
  const { message, name, stack } = err;
  const code = (err as { code?: unknown }).code;
  return { message, name, stack, ...(typeof code === "string" ? { code } : {}) };
}

parentPort?.on("message", async (request: JobRequest) => {
  if ("prepare" in request) {
    // A failure here shows when the job itself runs.
    for (const job of request.prepare) void preparations[job]?.().catch(() => undefined);
    return;
  }
  const { id, job, args } = request;
  try {
    const result = await (jobs[job] as (...a: unknown[]) => unknown)(...args);
    // Throws on a result that cannot be copied back, which then fails this job alone.
    parentPort!.postMessage({ id, result } satisfies JobAnswer);
  } catch (err) {
    parentPort!.postMessage({ id, error: asJobError(err) } satisfies JobAnswer);
  }
});

/**
 * The worker thread of offThread/index.ts: runs the jobs the main thread posts and answers each with its
 * result or its error's message.
 */
import { parentPort } from "node:worker_threads";
import { Graphviz } from "@hpcc-js/wasm-graphviz";
import { bcryptHash } from "../sim/random";
import { loadX509, selfSignedCert } from "../sim/tls";

const jobs = {
  bcryptHash,
  selfSignedCert,
  /** A Graphviz graph as SVG, by Graphviz compiled to WebAssembly: nothing to install on the machine. */
  svgOf: async (dot: string): Promise<string> => (await Graphviz.load()).dot(dot),
};

export type Jobs = typeof jobs;
export type JobName = keyof Jobs;

/** What a job loads before its first run: x509's ASN.1 schemas take about a tenth of a second to load. */
const preparations: Record<JobName, () => Promise<unknown>> = {
  bcryptHash: async () => undefined,
  selfSignedCert: loadX509,
  // V8 compiles the WebAssembly on background threads.
  svgOf: () => Graphviz.load(),
};

/** A job to run, or (with no id) jobs to get ready for. */
export type JobRequest = { id: number; job: JobName; args: unknown[] } | { prepare: JobName[] };

export type JobAnswer = { id: number; result: unknown } | { id: number; error: string };

parentPort?.on("message", async (request: JobRequest) => {
  if ("prepare" in request) {
    // A failure here shows when the job itself runs.
    request.prepare.forEach((job) => preparations[job]().catch(() => undefined));
    return;
  }
  const { id, job, args } = request;
  let answer: JobAnswer;
  try {
    answer = { id, result: await (jobs[job] as (...a: unknown[]) => unknown)(...args) };
  } catch (err) {
    answer = { id, error: err instanceof Error ? err.message : String(err) };
  }
  parentPort!.postMessage(answer);
});

/**
 * @pulumi/policy's own unknown-checking proxy and its error, with the types its published declarations
 * leave out (index.d.ts re-exports them from proxy.d.ts, which declares nothing). Using the library's
 * implementation keeps the evaluator's behaviour on preview unknowns identical to the analyzer's.
 */
import * as policyRuntime from "@pulumi/policy";

const runtime = policyRuntime as unknown as {
  unknownCheckingProxy: <T extends object>(value: T) => T;
  UnknownValueError: new (...args: never[]) => Error;
};

export const unknownCheckingProxy = runtime.unknownCheckingProxy;
export const UnknownValueError = runtime.UnknownValueError;

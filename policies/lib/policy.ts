/** Helpers shared by the policies: typed resource checks over raw properties, and small message helpers. */
import {
  ReportViolation,
  ResourceValidation,
  ResourceValidationArgs,
  validateResourceOfType,
} from "@pulumi/policy";
import { Resource } from "@pulumi/pulumi";
import { Loose, rawProps } from "./values";

/** A @pulumi/gcp resource class, typed exactly as `validateResourceOfType` takes it. */
export type ResourceClass<TResource extends Resource, TArgs> = {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the signature of @pulumi/policy's own helper
  new (name: string, args: TArgs, ...rest: any[]): TResource;
};

/**
 * `validateResourceOfType` for our policies: the check gets the raw properties (unknown values show as
 * the engine's sentinels instead of throwing; see values.ts), with the keys of the resource's input type.
 * The type token stays attached, so the engine (and our evaluator) skip other types without a call.
 */
export function checkResource<TResource extends Resource, TArgs>(
  resourceClass: ResourceClass<TResource, TArgs>,
  check: (props: Loose<TArgs>, args: ResourceValidationArgs, report: ReportViolation) => void,
): ResourceValidation {
  return validateResourceOfType(resourceClass, (props, args, report) =>
    check(rawProps(props as object) as Loose<TArgs>, args, report),
  );
}

/** Whether a stack serves a website through an HTTP(S) load balancer. */
import { StackIndex } from "./stack";
import { T } from "./types";

export const SITE_TYPES = [
  T.urlMap,
  T.regionUrlMap,
  T.targetHttpProxy,
  T.regionTargetHttpProxy,
  T.targetHttpsProxy,
  T.regionTargetHttpsProxy,
];

export function servesSite(index: StackIndex): boolean {
  return index.has(...SITE_TYPES);
}

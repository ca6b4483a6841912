/** The Automation API's engine events an operation emitted, kept for the suite's assertions. */
import { EngineEvent, OpType, PolicyEvent } from "@pulumi/pulumi/automation";

/** A policy event as the engine sends it: @pulumi/pulumi's type leaves out its severity. */
export type Finding = PolicyEvent & { severity?: string };

/**
 * What an analyzer reports after checking one resource (Analyze) or the stack (AnalyzeStack): the policies
 * that passed and failed. The engine sends these (pulumi's apitype/events.go); @pulumi/pulumi's
 * EngineEvent type leaves them out.
 */
interface AnalyzeSummary {
  resourceUrn?: string;
  policyPackName: string;
  passed?: string[];
  failed?: string[];
}

type WithSummaries = EngineEvent & {
  policyAnalyzeSummaryEvent?: AnalyzeSummary;
  policyAnalyzeStackSummaryEvent?: AnalyzeSummary;
};

export interface Events {
  /** Pass to preview, up, refresh or destroy as `onEvent`. */
  readonly onEvent: (event: EngineEvent) => void;
  readonly findings: Finding[];
  /** The steps the engine planned or took, except those that leave a resource as it is. */
  readonly changes: { op: OpType; urn: string }[];
  /** One per resource and policy pack the engine analyzed. */
  readonly resourceAnalyses: AnalyzeSummary[];
  /** One per policy pack, after the stack policies ran. */
  readonly stackAnalyses: AnalyzeSummary[];
}

export function recordEvents(): Events {
  const events: Events = {
    findings: [],
    changes: [],
    resourceAnalyses: [],
    stackAnalyses: [],
    onEvent: (event: WithSummaries) => {
      if (event.policyEvent) events.findings.push(event.policyEvent);
      const step = event.resourcePreEvent?.metadata;
      if (step && step.op !== "same") events.changes.push({ op: step.op, urn: step.urn });
      if (event.policyAnalyzeSummaryEvent) events.resourceAnalyses.push(event.policyAnalyzeSummaryEvent);
      if (event.policyAnalyzeStackSummaryEvent)
        events.stackAnalyses.push(event.policyAnalyzeStackSummaryEvent);
    },
  };
  return events;
}

/** "[mandatory] [high] gcp-... (foobar-fw-web): message", one line per finding, for the log. */
export function describeFindings(findings: readonly Finding[]): string[] {
  return findings.map((f) => {
    const resource = f.resourceUrn ? ` (${f.resourceUrn.split("::").pop()})` : "";
    const message = f.message.replace(/\s*\n\s*/g, " ");
    return `[${f.enforcementLevel}] [${f.severity ?? "no severity"}] ${f.policyName}${resource}: ${message}`;
  });
}

import { parseCommandLine, required, UsageError } from "../cli/commandLine";

/** What `npm start -- …` was asked to do. */
export interface PlanArgs {
  stack: string;
  json: boolean;
  /** Where the SVG diagram goes; default out/<stack>/architecture.svg. */
  diagramPath?: string;
  /** Config values that replace the stack file's for this plan only, like `pulumi config set`. */
  overrides: Record<string, string>;
  help: boolean;
}

export const usage =
  "usage: npm start -- [--stack <name>] [--json] [--diagram <file.svg>] [--set <key>=<value> ...] [--help]";

/** The plan's command line; a UsageError (exit code 2) for one it cannot run. */
export function parseArgs(argv: string[]): PlanArgs {
  const { values } = parseCommandLine(
    {
      args: argv,
      options: {
        stack: { type: "string", default: "dev" },
        json: { type: "boolean", default: false },
        diagram: { type: "string" },
        set: { type: "string", multiple: true, default: [] },
        help: { type: "boolean", short: "h", default: false },
      },
    },
    usage,
  );
  const overrides: Record<string, string> = {};
  for (const setting of values.set) {
    const match = /^([A-Za-z][\w-]*(?::[A-Za-z][\w-]*)?)=(.*)$/s.exec(setting);
    if (!match) throw new UsageError(`--set needs <key>=<value>, got ${JSON.stringify(setting)}; ${usage}`);
    overrides[match[1]] = match[2];
  }
  return {
    stack: required(values.stack, "stack", usage) as string,
    json: values.json,
    diagramPath: required(values.diagram, "diagram", usage),
    overrides,
    help: values.help,
  };
}

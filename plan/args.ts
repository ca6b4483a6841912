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

/** Raised for a command line the plan cannot run; exit code 2. */
export class UsageError extends Error {}

export function parseArgs(argv: string[]): PlanArgs {
  const args: PlanArgs = { stack: "dev", json: false, help: false, overrides: {} };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].startsWith("--") ? argv[i].split(/=(.*)/s, 2) : [argv[i], undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === "" || (inline === undefined && v.startsWith("--"))) {
        throw new UsageError(`Option ${flag} needs a value; ${usage}`);
      }
      return v;
    };
    switch (flag) {
      case "--stack":
        args.stack = value();
        break;
      case "--diagram":
        args.diagramPath = value();
        break;
      case "--set": {
        const setting = value();
        const match = /^([A-Za-z][\w-]*(?::[A-Za-z][\w-]*)?)=(.*)$/s.exec(setting);
        if (!match) {
          throw new UsageError(`Option --set needs <key>=<value>, got ${JSON.stringify(setting)}; ${usage}`);
        }
        args.overrides[match[1]] = match[2];
        break;
      }
      case "--json":
      case "--help":
      case "-h":
        if (inline !== undefined) {
          throw new UsageError(`Option ${flag} takes no value; ${usage}`);
        }
        args[flag === "--json" ? "json" : "help"] = true;
        break;
      default:
        throw new UsageError(`Unknown argument ${JSON.stringify(argv[i])}; ${usage}`);
    }
  }
  return args;
}

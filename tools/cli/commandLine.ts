/**
 * The command lines of the offline plan and check-policies: Node's util.parseArgs, with its errors as one
 * line that names the option and ends with the usage, and one error type both CLIs exit 2 on.
 */
import { parseArgs, ParseArgsConfig } from "util";

/** A command line the CLI cannot run; its message is one line. */
export class UsageError extends Error {}

/** util.parseArgs (strict, its default), with its errors turned into UsageErrors. */
export function parseCommandLine<T extends ParseArgsConfig>(
  config: T,
  usage: string,
): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (e) {
    throw new UsageError(`${reasonOf(e as Error & { code?: string })}; ${usage}`);
  }
}

/** Node's messages suggest quoting with "--" over several lines; ours say what is wrong in a few words. */
function reasonOf(e: Error & { code?: string }): string {
  // Node names an option with a short form as '-h, --help'; the long form is the one users type.
  const option = /'(?:-\w, )?(--?[\w-]+)/.exec(e.message)?.[1];
  switch (e.code) {
    case "ERR_PARSE_ARGS_UNKNOWN_OPTION":
      return `unknown option ${JSON.stringify(option)}`;
    case "ERR_PARSE_ARGS_INVALID_OPTION_VALUE":
      return e.message.includes("does not take an argument")
        ? `${option} takes no value`
        : `${option} needs a value`;
    case "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL":
      return `unexpected argument ${JSON.stringify(/'([^']*)'/.exec(e.message)?.[1])}`;
    default:
      return e.message.split("\n")[0];
  }
}

/** A string option given empty (`--stack=`) is as good as missing. */
export function required(value: string | undefined, option: string, usage: string): string | undefined {
  if (value === "") throw new UsageError(`--${option} needs a value; ${usage}`);
  return value;
}

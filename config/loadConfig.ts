import * as pulumi from "@pulumi/pulumi";
import { StackConfig } from "./stackConfig";
import { ConfigError, validateConfig } from "./validate";

/**
 * The stack's validated config, read from what the Pulumi engine passed to the program. A bad value stops
 * the program with a RunError, which the CLI prints as the one-line message without a stack trace.
 */
export function loadConfig(): StackConfig {
  try {
    return validateConfig(pulumi.runtime.allConfig());
  } catch (err) {
    if (err instanceof ConfigError) {
      throw new pulumi.RunError(err.message);
    }
    throw err;
  }
}

import * as pulumi from "@pulumi/pulumi";
import * as settings from "@pulumi/pulumi/runtime/settings";
import type { RegisterResourceRequest, RegisterResourceResponse } from "@pulumi/pulumi/proto/resource_pb";
import { SimulatedCloud, refuseInvoke } from "../sim";
import { encryptedValueError, projectRootFrom, readStackFile } from "../../config/stackFiles";
import { fullKey, RawConfig } from "../../config/validate";
import { program } from "../../program";
import { maskedSecret, maskSecrets, revealSecrets, wrapSecrets } from "./secrets";

/** A resource the program registered, with its simulated outputs (secrets masked). */
export interface PlannedResource {
  urn: string;
  type: string;
  name: string;
  /** Logical name of the parent component, or null for top-level resources. */
  parent: string | null;
  /** False for component resources. */
  custom: boolean;
  /** Inputs plus the outputs the simulated cloud computed; secrets are masked. */
  props: Record<string, unknown>;
  /** Logical names of the resources this one depends on (explicitly or through its inputs). */
  dependencies: string[];
}

export interface OfflineRun {
  stack: string;
  config: RawConfig;
  resources: PlannedResource[];
  /** The stack outputs, resolved; secrets masked. */
  outputs: Record<string, unknown>;
}

export interface OfflineRunOptions {
  stack: string;
  /** Folder of Pulumi.yaml and the stack files. Default: the repository root. */
  projectDir?: string;
  /** Config values that replace the stack file's, keyed by `key` or `namespace:key`, as `pulumi config set`. */
  overrides?: Record<string, string>;
}

interface RegistrationMeta {
  /** Order of registration: the order the program declared the resources in. */
  sequence: number;
  parentUrn: string;
  dependencyUrns: string[];
  additionalSecretOutputs: string[];
}

/** What a resource the monitor did not see registered is taken to have: it sorts last. */
const NO_META: RegistrationMeta = {
  sequence: Number.MAX_SAFE_INTEGER,
  parentUrn: "",
  dependencyUrns: [],
  additionalSecretOutputs: [],
};

const repositoryRoot = projectRootFrom(__dirname);

/** Internal to the SDK (not in its declarations): the only way to know every registration was answered. */
const waitForRPCs = (): Promise<void> =>
  (settings as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs();

/** The stack's config as the CLI would pass it, with `pulumi config set`-style overrides applied. */
export function stackConfig(options: OfflineRunOptions): RawConfig {
  const { config, encryptedKeys } = readStackFile(options.projectDir ?? repositoryRoot, options.stack);
  const raw: Record<string, string | undefined> = { ...config };
  for (const [key, value] of Object.entries(options.overrides ?? {})) {
    raw[fullKey(key)] = value;
  }
  const unreadable = encryptedKeys.find((key) => raw[key] === undefined);
  if (unreadable !== undefined) throw encryptedValueError(options.stack, unreadable);
  return raw;
}

/**
 * Runs the program for a stack against a simulated Google Cloud, through Pulumi's mock monitor, and returns
 * every resource it registered. Throws the program's own error (a RunError for bad config) before any
 * resource is registered.
 */
export async function runOffline(options: OfflineRunOptions): Promise<OfflineRun> {
  const config = stackConfig(options);
  const run = await simulate(program, { stack: options.stack, config });
  return { stack: options.stack, config, ...run };
}

export interface SimulateOptions {
  stack: string;
  /** Config the code under test reads through pulumi.Config / runtime.allConfig. */
  config: RawConfig;
}

/**
 * Runs any Pulumi code (the program, or a single component in a test) under Pulumi's mocks backed by the
 * simulated cloud, waits for every registration, and returns what was registered and the resolved outputs.
 */
export async function simulate(
  code: () => object,
  options: SimulateOptions,
): Promise<{ resources: PlannedResource[]; outputs: Record<string, unknown> }> {
  const project = options.config["gcp:project"] ?? "";
  const region = options.config["gcp:region"] ?? "";
  // Deterministic naming: the same names and addresses on every run.
  const naming = "deterministic";
  // Each run plans against a cloud of its own, so addresses do not depend on what ran before it.
  const cloud = new SimulatedCloud();
  const metaByName = new Map<string, RegistrationMeta>();
  const recorded: (Omit<PlannedResource, "parent" | "dependencies"> & { meta: RegistrationMeta })[] = [];
  const recordedByKey = new Map<string, (typeof recorded)[number]>();
  const failures: Error[] = [];

  await pulumi.runtime.setMocks(
    {
      async newResource(args) {
        const meta = metaByName.get(`${args.type}::${args.name}`) ?? NO_META;
        const { plain, secretPaths } = revealSecrets(args.inputs ?? {});
        const inputs = plain as Record<string, unknown>;
        try {
          const { id, outputs } = args.custom
            ? await cloud.create({ type: args.type, name: args.name, inputs, project, region, naming })
            : { id: undefined, outputs: inputs };
          // A path listed twice (the SDK adds its provider's secret outputs to the program's own list) would
          // be wrapped twice, and the program would see a wrapper where it expects the value.
          const hidden = uniquePaths([...secretPaths, ...meta.additionalSecretOutputs.map((k) => [k])]);
          const entry = {
            urn: "",
            type: args.type,
            name: args.name,
            custom: args.custom ?? true,
            // The engine shows a resource's ID beside its outputs; policies and reports resolve references by it.
            props: maskSecrets(id === undefined ? outputs : { ...outputs, id }, hidden) as Record<
              string,
              unknown
            >,
            meta,
          };
          recorded.push(entry);
          recordedByKey.set(`${args.type}::${args.name}`, entry);
          return { id, state: wrapSecrets(outputs, hidden) as Record<string, unknown> };
        } catch (err) {
          failures.push(err as Error);
          throw err;
        }
      },
      call(args) {
        return refuseInvoke(args.token);
      },
    },
    "foobar-web",
    options.stack,
    false,
  );
  pulumi.runtime.setAllConfig(options.config as Record<string, string>);

  // The mock monitor does not hand parents, dependencies or secret-output lists to the mocks; take them
  // from the registration request, and the URN from the response.
  const monitor = settings.getMonitor() as unknown as {
    registerResource(
      req: RegisterResourceRequest,
      callback: (err: unknown, res?: RegisterResourceResponse) => void,
    ): Promise<void>;
  };
  const registerResource = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, callback) => {
    const key = `${req.getType()}::${req.getName()}`;
    metaByName.set(key, {
      sequence: metaByName.size,
      parentUrn: req.getParent(),
      dependencyUrns: req.getDependenciesList(),
      additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
    });
    return registerResource(req, (err, res) => {
      const entry = recordedByKey.get(key);
      if (entry && res) entry.urn = res.getUrn();
      callback(err, res);
    });
  };

  // The SDK records a stack trace on every promise it makes, for its leak reports, and formatting them
  // (through source maps, under tsx) was most of the run's time. Nothing offline reads them.
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  let outputs: Record<string, unknown>;
  try {
    outputs = await outputValues(code());
    await waitForRPCs();
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
  if (failures.length > 0) throw failures[0];

  const nameByUrn = new Map(recorded.map((r) => [r.urn, r.name]));
  return {
    outputs,
    resources: recorded
      .sort((a, b) => a.meta.sequence - b.meta.sequence)
      .map(({ urn, type, name, custom, props, meta: { parentUrn, dependencyUrns } }) => ({
        urn,
        type,
        name,
        parent: nameByUrn.get(parentUrn) ?? null,
        custom,
        props,
        dependencies: dependencyUrns.map((u) => nameByUrn.get(u)).filter((n): n is string => n !== undefined),
      })),
  };
}

function uniquePaths(paths: (string | number)[][]): (string | number)[][] {
  return [...new Map(paths.map((p) => [JSON.stringify(p), p])).values()];
}

async function outputValues(outputs: object): Promise<Record<string, unknown>> {
  const values: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(outputs)) {
    const output = pulumi.output(value) as pulumi.Output<unknown>;
    values[key] = (await pulumi.isSecret(output))
      ? maskedSecret
      : await new Promise((resolve) => output.apply((v) => resolve(v)));
  }
  return values;
}

/**
 * How many resources the mock monitor of the latest run registered, once pending registrations have been
 * answered. Works after a failed run too, which is what it is for: proving bad config registered nothing.
 */
export async function registrationsInLatestRun(): Promise<number> {
  await waitForRPCs();
  const monitor = settings.getMonitor() as unknown as { getRegisteredResources(): Map<string, unknown> };
  return monitor.getRegisteredResources().size;
}

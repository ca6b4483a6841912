/**
 * A minimal gRPC client for an emulated provider, for tests that talk to it the way the engine does
 * (Configure, Check, Diff, Create, Update, Read, Delete, Invoke) without the CLI.
 */
import { ChildProcess, spawn } from "node:child_process";
import * as path from "node:path";
import { createInterface } from "node:readline";
import * as grpc from "@grpc/grpc-js";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import type { PluginInfo } from "@pulumi/pulumi/proto/plugin_pb";
import * as rpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as proto from "@pulumi/pulumi/proto/provider_pb";
import type { PackageName } from "./emulated";

type Props = Record<string, unknown>;

const plain = (struct: Struct | undefined) => (struct?.toJavaScript() ?? {}) as Props;

/** A message of `Type` with each field set through its setter (`urn` by `setUrn`), objects as Structs. */
function message<T>(Type: new () => T, fields: Record<string, unknown>): T {
  const made = new Type() as Record<string, (value: unknown) => void>;
  for (const [key, value] of Object.entries(fields)) {
    const setter = `set${key[0].toUpperCase()}${key.slice(1)}`;
    made[setter](typeof value === "object" ? Struct.fromJavaScript(value as never) : value);
  }
  return made as T;
}

export class ProviderClient {
  private constructor(
    private readonly child: ChildProcess,
    private readonly client: rpc.ResourceProviderClient,
  ) {}

  /** Starts `tools/e2e/providers/<pkg>.ts` (through tsx, from its source) in a child process and connects to the port it prints. */
  static async start(pkg: PackageName, env: NodeJS.ProcessEnv = process.env): Promise<ProviderClient> {
    const entry = path.join(__dirname, `${pkg}.ts`);
    const child = spawn(process.execPath, ["--require", require.resolve("tsx/cjs"), entry], {
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    // Never outlive the test process, even when it stops without calling stop().
    process.once("exit", () => child.kill());
    const port = await new Promise<string>((resolve, reject) => {
      let err = "";
      createInterface({ input: child.stdout! }).once("line", (line) => resolve(line.trim()));
      child.stderr!.on("data", (chunk: Buffer) => (err += chunk.toString()));
      child.on("exit", (code) => reject(new Error(`provider ${pkg} exited with ${code}: ${err}`)));
    });
    const client = new rpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    return new ProviderClient(child, client);
  }

  stop(): void {
    this.client.close();
    this.child.kill();
  }

  /** One unary call of the provider service. */
  private send<Res>(method: keyof rpc.IResourceProviderClient, request: unknown): Promise<Res> {
    type Unary = (
      request: unknown,
      callback: (error: grpc.ServiceError | null, response: Res) => void,
    ) => void;
    const unary = this.client[method] as unknown as Unary;
    return new Promise((resolve, reject) =>
      unary.call(this.client, request, (error, response) => (error ? reject(error) : resolve(response))),
    );
  }

  async pluginVersion(): Promise<string> {
    return (await this.send<PluginInfo>("getPluginInfo", new Empty())).getVersion();
  }

  configure(variables: Record<string, string>, args: Props = {}): Promise<proto.ConfigureResponse> {
    const request = message(proto.ConfigureRequest, { args, acceptsecrets: true, acceptresources: true });
    for (const [key, value] of Object.entries(variables)) request.getVariablesMap().set(key, value);
    return this.send("configure", request);
  }

  async check(urn: string, olds: Props, news: Props): Promise<Props> {
    const request = message(proto.CheckRequest, { urn, olds, news });
    return plain((await this.send<proto.CheckResponse>("check", request)).getInputs());
  }

  async diff(urn: string, id: string, olds: Props, news: Props) {
    const request = message(proto.DiffRequest, { urn, id, olds, news });
    const response = await this.send<proto.DiffResponse>("diff", request);
    const changes = (["unknown", "none", "some"] as const)[response.getChanges()];
    return { changes, replaces: response.getReplacesList() };
  }

  async create(urn: string, properties: Props): Promise<{ id: string; outputs: Props }> {
    const request = message(proto.CreateRequest, { urn, properties });
    const response = await this.send<proto.CreateResponse>("create", request);
    return { id: response.getId(), outputs: plain(response.getProperties()) };
  }

  async update(urn: string, id: string, olds: Props, news: Props): Promise<Props> {
    const request = message(proto.UpdateRequest, { urn, id, olds, news });
    return plain((await this.send<proto.UpdateResponse>("update", request)).getProperties());
  }

  async read(urn: string, id: string, properties: Props): Promise<{ id: string; properties: Props }> {
    const request = message(proto.ReadRequest, { urn, id, properties });
    const response = await this.send<proto.ReadResponse>("read", request);
    return { id: response.getId(), properties: plain(response.getProperties()) };
  }

  async delete(urn: string, id: string, properties: Props): Promise<void> {
    await this.send("delete", message(proto.DeleteRequest, { urn, id, properties }));
  }

  async invoke(token: string, args: Props): Promise<Props> {
    const request = message(proto.InvokeRequest, { tok: token, args });
    return plain((await this.send<proto.InvokeResponse>("invoke", request)).getReturn());
  }
}

/** A URN of the shape the engine sends, for stack `dev` of project `e2e`. */
export function urnOf(type: string, name: string): string {
  return `urn:pulumi:dev::e2e::${type}::${name}`;
}

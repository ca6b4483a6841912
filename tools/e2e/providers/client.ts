/**
 * A minimal gRPC client for an emulated provider, for tests that talk to it the way the engine does
 * (Configure, Check, Diff, Create, Update, Read, Delete, Invoke) without the CLI.
 */
import { ChildProcess, spawn } from "node:child_process";
import * as path from "node:path";
import * as grpc from "@grpc/grpc-js";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import * as plugin from "@pulumi/pulumi/proto/plugin_pb";
import * as rpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as proto from "@pulumi/pulumi/proto/provider_pb";
import type { PackageName } from "./emulated";

type Props = Record<string, unknown>;

function call<Res>(
  invoke: (callback: (error: grpc.ServiceError | null, response: Res) => void) => unknown,
): Promise<Res> {
  return new Promise((resolve, reject) =>
    invoke((error, response) => (error ? reject(error) : resolve(response))),
  );
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
      let out = "";
      let err = "";
      child.stdout!.on("data", (chunk: Buffer) => {
        out += chunk.toString();
        const line = out.split("\n")[0];
        if (out.includes("\n")) {
          resolve(line.trim());
        }
      });
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

  async pluginVersion(): Promise<string> {
    const info = await call<plugin.PluginInfo>((cb) => this.client.getPluginInfo(new Empty(), cb));
    return info.getVersion();
  }

  async configure(variables: Record<string, string>, args: Props = {}): Promise<proto.ConfigureResponse> {
    const request = new proto.ConfigureRequest();
    for (const [key, value] of Object.entries(variables)) {
      request.getVariablesMap().set(key, value);
    }
    request.setArgs(Struct.fromJavaScript(args as never));
    request.setAcceptsecrets(true);
    request.setAcceptresources(true);
    return call<proto.ConfigureResponse>((cb) => this.client.configure(request, cb));
  }

  async check(urn: string, olds: Props, news: Props): Promise<Props> {
    const request = new proto.CheckRequest();
    request.setUrn(urn);
    request.setOlds(Struct.fromJavaScript(olds as never));
    request.setNews(Struct.fromJavaScript(news as never));
    const response = await call<proto.CheckResponse>((cb) => this.client.check(request, cb));
    return (response.getInputs()?.toJavaScript() ?? {}) as Props;
  }

  async diff(
    urn: string,
    id: string,
    olds: Props,
    news: Props,
  ): Promise<{ changes: "none" | "some" | "unknown"; replaces: string[] }> {
    const request = new proto.DiffRequest();
    request.setUrn(urn);
    request.setId(id);
    request.setOlds(Struct.fromJavaScript(olds as never));
    request.setNews(Struct.fromJavaScript(news as never));
    const response = await call<proto.DiffResponse>((cb) => this.client.diff(request, cb));
    const changes = response.getChanges();
    return {
      changes:
        changes === proto.DiffResponse.DiffChanges.DIFF_NONE
          ? "none"
          : changes === proto.DiffResponse.DiffChanges.DIFF_SOME
            ? "some"
            : "unknown",
      replaces: response.getReplacesList(),
    };
  }

  async create(urn: string, properties: Props): Promise<{ id: string; outputs: Props }> {
    const request = new proto.CreateRequest();
    request.setUrn(urn);
    request.setProperties(Struct.fromJavaScript(properties as never));
    const response = await call<proto.CreateResponse>((cb) => this.client.create(request, cb));
    return { id: response.getId(), outputs: (response.getProperties()?.toJavaScript() ?? {}) as Props };
  }

  async update(urn: string, id: string, olds: Props, news: Props): Promise<Props> {
    const request = new proto.UpdateRequest();
    request.setUrn(urn);
    request.setId(id);
    request.setOlds(Struct.fromJavaScript(olds as never));
    request.setNews(Struct.fromJavaScript(news as never));
    const response = await call<proto.UpdateResponse>((cb) => this.client.update(request, cb));
    return (response.getProperties()?.toJavaScript() ?? {}) as Props;
  }

  async read(urn: string, id: string, properties: Props): Promise<{ id: string; properties: Props }> {
    const request = new proto.ReadRequest();
    request.setUrn(urn);
    request.setId(id);
    request.setProperties(Struct.fromJavaScript(properties as never));
    const response = await call<proto.ReadResponse>((cb) => this.client.read(request, cb));
    return { id: response.getId(), properties: (response.getProperties()?.toJavaScript() ?? {}) as Props };
  }

  async delete(urn: string, id: string, properties: Props): Promise<void> {
    const request = new proto.DeleteRequest();
    request.setUrn(urn);
    request.setId(id);
    request.setProperties(Struct.fromJavaScript(properties as never));
    await call<Empty>((cb) => this.client.delete(request, cb));
  }

  async invoke(token: string, args: Props): Promise<Props> {
    const request = new proto.InvokeRequest();
    request.setTok(token);
    request.setArgs(Struct.fromJavaScript(args as never));
    const response = await call<proto.InvokeResponse>((cb) => this.client.invoke(request, cb));
    return (response.getReturn()?.toJavaScript() ?? {}) as Props;
  }
}

/** A URN of the shape the engine sends, for stack `dev` of project `e2e`. */
export function urnOf(type: string, name: string): string {
  return `urn:pulumi:dev::e2e::${type}::${name}`;
}

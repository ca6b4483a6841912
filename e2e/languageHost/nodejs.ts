/**
 * `pulumi-language-nodejs` for the end-to-end suite: a thin gRPC proxy in front of the language host that
 * tools/pulumi-cli/build.sh builds, adding the one call that host lacks.
 *
 * That host comes from sdk/v3 v3.68.0 (the newer host module is not on the Go module proxy here) and has
 * no `RunPlugin`, which the v3.248.0 engine uses to start a TypeScript policy pack (`--policy-pack DIR`
 * fails with "could not read plugin [DIR]: not supported"). This proxy forwards every call to the real
 * host; when the host refuses `RunPlugin` for a policy pack, the proxy runs it the way current hosts do:
 * `@pulumi/pulumi/cmd/run-policy-pack <engine address> .` with node in the policy pack's directory,
 * streaming its stdout, stderr and exit code back. With a host that has `RunPlugin` it changes nothing.
 *
 * Usage (written by the suite into its plugin folder): `nodejs.ts <real host> <host args…>`.
 */
import { spawn } from "node:child_process";
import * as path from "node:path";
import * as grpc from "@grpc/grpc-js";
import { LanguageRuntimeService } from "@pulumi/pulumi/proto/language_grpc_pb";
import { RunPluginRequest, RunPluginResponse } from "@pulumi/pulumi/proto/language_pb";

type MethodDefinition = grpc.MethodDefinition<unknown, unknown>;

/** Starts the real host with the engine's arguments and reads the port it prints first. */
function startRealHost(binary: string, args: readonly string[]): Promise<string> {
  const child = spawn(binary, args, { stdio: ["ignore", "pipe", "inherit"] });
  process.on("exit", () => child.kill());
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      child.kill(signal);
      process.exit(0);
    });
  }
  child.on("exit", (code) => process.exit(code ?? 1));
  return new Promise((resolve, reject) => {
    let buffered = "";
    const onData = (chunk: Buffer): void => {
      buffered += chunk.toString();
      const newline = buffered.indexOf("\n");
      if (newline >= 0) {
        child.stdout.off("data", onData);
        // Anything after the port is the host's own output; pass it on, as the engine would see it.
        process.stderr.write(buffered.slice(newline + 1));
        child.stdout.on("data", (more: Buffer) => process.stderr.write(more));
        resolve(buffered.slice(0, newline).trim());
      }
    };
    child.stdout.on("data", onData);
    child.on("error", reject);
  });
}

function forward(client: grpc.Client, definition: MethodDefinition): grpc.UntypedHandleCall {
  if (!definition.requestStream && !definition.responseStream) {
    return (call: grpc.ServerUnaryCall<unknown, unknown>, callback: grpc.sendUnaryData<unknown>) => {
      client.makeUnaryRequest(
        definition.path,
        definition.requestSerialize,
        definition.responseDeserialize,
        call.request,
        call.metadata,
        (error, response) => callback(error, response),
      );
    };
  }
  if (!definition.requestStream && definition.responseStream) {
    return (call: grpc.ServerWritableStream<unknown, unknown>) => {
      const upstream = client.makeServerStreamRequest(
        definition.path,
        definition.requestSerialize,
        definition.responseDeserialize,
        call.request,
        call.metadata,
      );
      upstream.on("data", (message: unknown) => call.write(message));
      // grpc-js ends the stream before it reports a failed status: close only on an OK status.
      upstream.on("status", (status: grpc.StatusObject) => status.code === grpc.status.OK && call.end());
      upstream.on("error", (error: grpc.ServiceError) => call.destroy(error));
      call.on("cancelled", () => upstream.cancel());
    };
  }
  throw new Error(`${definition.path}: streaming requests are not forwarded`);
}

/** `RunPlugin` for a policy pack: node runs @pulumi/pulumi's policy pack runner in the pack's folder. */
function runPolicyPack(call: grpc.ServerWritableStream<RunPluginRequest, RunPluginResponse>): void {
  const request = call.request;
  const directory = request.getInfo()?.getProgramDirectory() || request.getPwd();
  const send = (fill: (response: RunPluginResponse) => void): void => {
    const response = new RunPluginResponse();
    fill(response);
    call.write(response);
  };
  if (request.getKind() !== "analyzer") {
    call.destroy({
      name: "Error",
      message: `RunPlugin of a ${request.getKind() || "resource"} plugin is not supported by this host`,
      code: grpc.status.UNIMPLEMENTED,
    } as grpc.ServiceError);
    return;
  }
  let runner: string;
  try {
    runner = require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [directory] });
  } catch {
    runner = require.resolve("@pulumi/pulumi/cmd/run-policy-pack");
  }
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const entry of request.getEnvList()) {
    const at = entry.indexOf("=");
    env[entry.slice(0, at)] = entry.slice(at + 1);
  }
  const child = spawn(process.execPath, [runner, ...request.getArgsList(), "."], {
    cwd: directory,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout.on("data", (chunk: Buffer) => send((r) => r.setStdout(chunk)));
  child.stderr.on("data", (chunk: Buffer) => send((r) => r.setStderr(chunk)));
  call.on("cancelled", () => child.kill());
  child.on("close", (code) => {
    send((r) => r.setExitcode(code ?? 1));
    call.end();
  });
  child.on("error", (error) => {
    send((r) => r.setStderr(Buffer.from(`${error}\n`)));
  });
}

/** Forwards `RunPlugin`; if the host refuses it before sending anything, runs the policy pack here. */
function runPluginOrPolicyPack(
  client: grpc.Client,
  definition: MethodDefinition,
): (call: grpc.ServerWritableStream<RunPluginRequest, RunPluginResponse>) => void {
  return (call) => {
    let answered = false;
    const upstream = client.makeServerStreamRequest(
      definition.path,
      definition.requestSerialize,
      definition.responseDeserialize,
      call.request,
      call.metadata,
    );
    upstream.on("data", (message: unknown) => {
      answered = true;
      call.write(message as RunPluginResponse);
    });
    upstream.on("status", (status: grpc.StatusObject) => status.code === grpc.status.OK && call.end());
    upstream.on("error", (error: grpc.ServiceError) => {
      if (answered) {
        call.destroy(error);
      } else {
        runPolicyPack(call);
      }
    });
    call.on("cancelled", () => upstream.cancel());
  };
}

async function main(): Promise<void> {
  const [realHost, ...hostArgs] = process.argv.slice(2);
  const realPort = await startRealHost(realHost, hostArgs);
  const client = new grpc.Client(`127.0.0.1:${realPort}`, grpc.credentials.createInsecure());
  const server = new grpc.Server();
  const implementation: grpc.UntypedServiceImplementation = {};
  const service = LanguageRuntimeService as unknown as Record<string, MethodDefinition>;
  for (const [name, definition] of Object.entries(service)) {
    implementation[name] = forward(client, definition);
  }
  implementation.runPlugin = runPluginOrPolicyPack(client, service.runPlugin) as grpc.UntypedHandleCall;
  server.addService(LanguageRuntimeService as unknown as grpc.ServiceDefinition, implementation);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );
  process.stdout.write(`${port}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${path.basename(__filename)}: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});

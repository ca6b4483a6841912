/**
 * An emulated resource provider for the end-to-end suite: the real provider protocol, served by
 * `@pulumi/pulumi/provider`'s `main`, with the simulated cloud of sim/ behind it (naming "random", as a
 * real cloud). The engine finds it as an ambient plugin (`pulumi-resource-<name>` on PATH).
 *
 * Never logs inputs or outputs: they carry secrets. When PULUMI_SIM_STATE_DIR is set, it appends what it
 * created and deleted to `<package>.journal.jsonl` there (types and IDs only, so `read` can tell a deleted
 * resource and the suite can check the emulated cloud is empty), and the passwords and private keys it
 * made or was given to `secrets.jsonl` (mode 0600), so the suite can search the state for them in clear
 * (with the public keys, which the search must not count). A change made in the cloud behind Pulumi's
 * back is a `<package>.drift.json` there (see `readDrift`).
 */
import { appendFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import * as nodeModule from "node:module";
import * as path from "node:path";
import * as provider from "@pulumi/pulumi/provider";
import type { ConfigureRequest } from "@pulumi/pulumi/proto/provider_pb";
import {
  specialResourceSig,
  specialSecretSig,
  specialSigKey,
  unknownValue,
} from "@pulumi/pulumi/runtime/rpc";
import { asReturned, providerAssignedName, secretOutputNames, SimulatedCloud, refuseInvoke } from "../../sim";
import { inUseError, pathsOf } from "./inUse";
import { alive, JournalEntry, readJournal, RecordedSecret } from "../lib/emulatedCloud";
import { refuseBadMonitoringRequest } from "../../sim/gcp/monitoringRequests";
import { warmUp } from "../../offThread";

export type PackageName = "gcp" | "tls" | "random";

type Props = Record<string, unknown>;

/** The provider configuration this emulator understands (`gcp:project`, `gcp:region`). */
interface ProviderConfig {
  project: string;
  region: string;
}

function isObject(value: unknown): value is Props {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isSecret(value: unknown): value is Props {
  return isObject(value) && value[specialSigKey] === specialSecretSig;
}

/** Whether a value is, or holds, one that `found` picks (a secret, a value unknown during preview). */
function contains(value: unknown, found: (value: unknown) => boolean): boolean {
  if (found(value)) return true;
  const elements = Array.isArray(value) ? value : isObject(value) ? Object.values(value) : [];
  return elements.some((element) => contains(element, found));
}

/** The plain value: secrets unwrapped, resource references replaced by their ID (or URN). */
function reveal(value: unknown): unknown {
  if (isSecret(value)) return reveal(value.value);
  if (Array.isArray(value)) return value.map(reveal);
  if (!isObject(value)) return value;
  if (value[specialSigKey] === specialResourceSig) return value.id ?? value.urn;
  return Object.fromEntries(Object.entries(value).map(([key, element]) => [key, reveal(element)]));
}

function secret(value: unknown): Props {
  return { [specialSigKey]: specialSecretSig, value };
}

/**
 * Whether every value given in `wanted` (an input) is present and equal in `actual` (an output, which has
 * computed properties besides): objects key by key, arrays element by element.
 */
function inputMatches(wanted: unknown, actual: unknown): boolean {
  if (Array.isArray(wanted)) {
    return (
      Array.isArray(actual) &&
      wanted.length === actual.length &&
      wanted.every((w, i) => inputMatches(w, actual[i]))
    );
  }
  if (isObject(wanted)) {
    return isObject(actual) && Object.entries(wanted).every(([key, w]) => inputMatches(w, actual[key]));
  }
  return wanted === actual;
}

/**
 * Properties whose change replaces the resource, space-separated. Not exhaustive; every other change is an
 * update.
 */
const GCP_COMMON_REPLACES = "name project region zone network";
const GCP_REPLACES: Record<string, string> = {
  "gcp:compute/subnetwork:Subnetwork": "ipCidrRange purpose",
  "gcp:compute/globalAddress:GlobalAddress": "address addressType purpose prefixLength ipVersion",
  "gcp:servicenetworking/connection:Connection": "service",
  "gcp:compute/routerNat:RouterNat": "router",
  "gcp:compute/firewall:Firewall": "direction",
  "gcp:serviceaccount/account:Account": "accountId",
  "gcp:projects/iAMMember:IAMMember": "role member condition",
  // resource_compute_region_instance_group_manager.go: these are ForceNew.
  "gcp:compute/regionInstanceGroupManager:RegionInstanceGroupManager":
    "baseInstanceName description distributionPolicyZones distributionPolicyTargetShape",
  "gcp:compute/sSLCertificate:SSLCertificate": "certificate privateKey namePrefix",
  "gcp:compute/managedSslCertificate:ManagedSslCertificate": "managed type",
  "gcp:compute/globalForwardingRule:GlobalForwardingRule":
    "ipAddress ipProtocol portRange loadBalancingScheme networkTier",
  "gcp:sql/databaseInstance:DatabaseInstance": "masterInstanceName replicaConfiguration encryptionKeyName",
  "gcp:sql/database:Database": "instance",
  "gcp:sql/user:User": "instance host type",
  // resource_monitoring_custom_service.go and resource_monitoring_slo.go: the IDs, and the SLO's service.
  "gcp:monitoring/customService:CustomService": "serviceId",
  "gcp:monitoring/slo:Slo": "service sloId",
};

/**
 * Types whose every input forces a new resource except these: an instance template cannot be changed once
 * created, only its labels (resource_compute_instance_template.go: every other field is ForceNew).
 */
const GCP_REPLACES_ALL_BUT: Record<string, readonly string[]> = {
  "gcp:compute/instanceTemplate:InstanceTemplate": ["labels", "effectiveLabels", "pulumiLabels"],
};

function replaceableProperties(pkg: PackageName, type: string, changed: string[]): string[] {
  // Every input of the tls and random resources forces a new resource.
  if (pkg !== "gcp") return changed;
  const mutable = GCP_REPLACES_ALL_BUT[type];
  if (mutable) return changed.filter((key) => !mutable.includes(key));
  const replaces = `${GCP_COMMON_REPLACES} ${GCP_REPLACES[type] ?? ""}`.split(" ");
  return changed.filter((key) => replaces.includes(key));
}

/** Outputs that are passwords or private keys, for the suite's search of the state. */
const RECORDED_SECRETS: Record<string, Record<string, RecordedSecret["kind"]>> = {
  // The public forms are recorded too: a private key file embeds its public key, and those bytes are
  // no leak when they show up in a public output.
  "tls:index/privateKey:PrivateKey": {
    privateKeyPem: "private-key",
    privateKeyPemPkcs8: "private-key",
    privateKeyOpenssh: "private-key",
    publicKeyPem: "public-key",
    publicKeyOpenssh: "public-key",
  },
  "random:index/randomPassword:RandomPassword": { result: "password" },
  "gcp:sql/user:User": { password: "password" },
  "gcp:sql/databaseInstance:DatabaseInstance": { rootPassword: "password" },
  "gcp:secretmanager/secretVersion:SecretVersion": { secretData: "password" },
};

function typeOfUrn(urn: string): string {
  const qualifiedType = urn.split("::")[2] ?? "";
  return qualifiedType.slice(qualifiedType.lastIndexOf("$") + 1);
}

function nameOfUrn(urn: string): string {
  return urn.split("::").slice(3).join("::");
}

/** Where the emulator keeps its journal and the secrets it saw; undefined outside the suite. */
function stateDir(): string | undefined {
  const dir = process.env.PULUMI_SIM_STATE_DIR;
  return dir && existsSync(dir) ? dir : undefined;
}

function journal(pkg: PackageName, entry: JournalEntry): void {
  const dir = stateDir();
  if (dir) appendFileSync(path.join(dir, `${pkg}.journal.jsonl`), JSON.stringify(entry) + "\n");
}

function recordSecrets(type: string, urn: string, inputs: Props, outputs: Props): void {
  const dir = stateDir();
  if (!dir) return;
  const lines: string[] = [];
  const add = (kind: RecordedSecret["kind"], property: string, value: unknown): void => {
    if (typeof value === "string" && value.length >= 8) {
      lines.push(JSON.stringify({ kind, type, urn, property, value }));
    }
  };
  for (const [property, kind] of Object.entries(RECORDED_SECRETS[type] ?? {})) {
    add(kind, property, outputs[property]);
  }
  // A private key handed to any resource (a certificate's key, a VM's TLS key) is one too.
  for (const [property, value] of Object.entries(inputs)) {
    const plain = contains(value, isSecret) ? reveal(value) : undefined;
    if (typeof plain === "string" && plain.includes("PRIVATE KEY-----")) add("private-key", property, plain);
  }
  if (lines.length > 0) {
    appendFileSync(path.join(dir, "secrets.jsonl"), lines.join("\n") + "\n", { mode: 0o600 });
  }
}

/** The resources the journal says exist, by `<type> <id>`; undefined outside the suite. */
function liveResources(pkg: PackageName): Map<string, JournalEntry> | undefined {
  const dir = stateDir();
  const entries = dir && readJournal(dir, pkg);
  return entries ? alive(entries) : undefined;
}

/**
 * Changes made in the emulated cloud behind Pulumi's back, by `<type> <id>`: properties whose live value
 * now differs from what Pulumi last wrote. The suite writes the file; the next update or delete of the
 * resource through the provider replaces the live value, and so ends the drift.
 */
function readDrift(pkg: PackageName): Record<string, Props> {
  const dir = stateDir();
  const file = dir && path.join(dir, `${pkg}.drift.json`);
  return file && existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as Record<string, Props>) : {};
}

function endDrift(pkg: PackageName, key: string): void {
  const drift = readDrift(pkg);
  if (key in drift) {
    delete drift[key];
    writeFileSync(path.join(stateDir() as string, `${pkg}.drift.json`), JSON.stringify(drift));
  }
}

/** Outputs whose input was secret stay secret, and so do the ones the SDK marks secret. */
function wrapSecrets(type: string, outputs: Props, inputs: Props): Props {
  const secretNames = new Set(secretOutputNames(type));
  const out: Props = {};
  for (const [key, value] of Object.entries(outputs)) {
    out[key] = secretNames.has(key) || contains(inputs[key], isSecret) ? secret(value) : value;
  }
  return out;
}

/** The new inputs laid over the old outputs: an in-place update keeps every computed property. */
function overlayPlain(base: unknown, given: unknown): unknown {
  if (isObject(given) && isObject(base)) {
    const overlaid = Object.entries(given).map(([key, value]) => [key, overlayPlain(base[key], value)]);
    return { ...base, ...Object.fromEntries(overlaid) };
  }
  if (Array.isArray(given) && Array.isArray(base)) {
    return given.map((element, i) => overlayPlain(base[i], element));
  }
  return given === undefined ? base : given;
}

/** A setting (`project`) from the provider's arguments, else from its configuration (`gcp:project`). */
function configValue(variables: Map<string, string>, args: Props, pkg: PackageName, key: string) {
  const fromArgs = reveal(args[key]);
  if (typeof fromArgs === "string" && fromArgs !== "") return fromArgs;
  return variables.get(`${pkg}:config:${key}`) ?? variables.get(`${pkg}:${key}`);
}

/**
 * The provider's `configure`: `@pulumi/pulumi/provider`'s server acknowledges Configure without handing
 * the configuration to the `Provider` object, so the emulator reads it from the request on the way in.
 * This wraps grpc-js's `Server.addService` (the same module instance the server uses) before `main` runs.
 */
function interceptConfigure(pkg: PackageName, config: ProviderConfig): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const grpc = require(
    require.resolve("@grpc/grpc-js", { paths: [path.dirname(require.resolve("@pulumi/pulumi"))] }),
  ) as typeof import("@grpc/grpc-js");
  const addService = grpc.Server.prototype.addService;
  grpc.Server.prototype.addService = function (service, implementation) {
    const impl = implementation as Record<string, unknown>;
    const configure = impl.configure as ((call: unknown, callback: unknown) => void) | undefined;
    if (configure) {
      impl.configure = (call: { request: ConfigureRequest }, callback: unknown) => {
        const variables = new Map(call.request.getVariablesMap().toArray());
        const args = call.request.getArgs()?.toJavaScript() ?? {};
        for (const key of ["project", "region"] as const) {
          config[key] = configValue(variables, args, pkg, key) ?? config[key];
        }
        configure.call(implementation, call, callback);
      };
    }
    return addService.call(this, service, implementation);
  };
}

function emulatedProvider(pkg: PackageName, version: string, config: ProviderConfig): provider.Provider {
  // One provider process, one cloud: it lives as long as the engine keeps the plugin running.
  const cloud = new SimulatedCloud();
  return {
    version,

    async check(urn, olds: Props, news: Props) {
      const type = typeOfUrn(urn);
      if (news.name !== undefined) return { inputs: news };
      // Keep the name made on create, so an update never renames (and so replaces) the resource.
      const name =
        typeof olds?.name === "string"
          ? olds.name
          : providerAssignedName(type, nameOfUrn(urn), reveal(news) as Props, "random");
      return { inputs: name === undefined ? news : { ...news, name } };
    },

    async diff(_id, urn, olds: Props, news: Props) {
      const type = typeOfUrn(urn);
      const plainOlds = reveal(olds) as Props;
      const changed = Object.keys(news).filter(
        (key) =>
          contains(news[key], (v) => v === unknownValue) || !inputMatches(reveal(news[key]), plainOlds[key]),
      );
      const replaces = replaceableProperties(pkg, type, changed);
      return { changes: changed.length > 0, replaces, deleteBeforeReplace: false };
    },

    async create(urn, inputs: Props) {
      const type = typeOfUrn(urn);
      const request = { type, name: nameOfUrn(urn), inputs: reveal(inputs) as Props, ...config };
      const { id, outputs } = await cloud.create({ ...request, naming: "random" });
      journal(pkg, { op: "create", type, id, urn, ...pathsOf(type, id, outputs, request.inputs) });
      recordSecrets(type, urn, inputs, outputs);
      return { id, outs: wrapSecrets(type, outputs, inputs) };
    },

    async read(id, urn, props?: Props) {
      const live = liveResources(pkg);
      const key = `${typeOfUrn(urn)} ${id}`;
      if (live && !live.has(key)) return { id: "", props: {} };
      const drift = readDrift(pkg)[key];
      if (drift === undefined) return { id, props: props ?? {} };
      // The live values, and inputs read back from them: on refresh, pulumi-terraform-bridge's Read returns
      // inputs extracted from the refreshed state (tfbridge.ExtractInputsFromOutputs), so a drifted input shows
      // in the state's inputs too. The SDK's provider server does not pass the old inputs to read, so these
      // inputs are all the outputs (a superset of the inputs, under the same names); the emulator's diff
      // compares only the keys the program sends, so the extra ones change nothing.
      const current = { ...(props ?? {}), ...drift };
      return { id, props: current, inputs: current };
    },

    async update(id, urn, olds: Props, news: Props) {
      const type = typeOfUrn(urn);
      refuseBadMonitoringRequest(type, reveal(news) as Props);
      const outputs = asReturned(type, overlayPlain(reveal(olds), reveal(news)) as Props);
      endDrift(pkg, `${type} ${id}`);
      journal(pkg, { op: "update", type, id, urn, ...pathsOf(type, id, outputs, reveal(news) as Props) });
      return { outs: wrapSecrets(type, outputs, news) };
    },

    async delete(id, urn, props: Props) {
      const type = typeOfUrn(urn);
      const plain = reveal(props) as Props;
      if (type === "gcp:sql/databaseInstance:DatabaseInstance") {
        // As the google provider and the Cloud SQL API refuse.
        if (plain.deletionProtection === true) {
          throw new Error(
            "Error, failed to delete instance because deletion_protection is set to true. " +
              "Set it to false to proceed with instance deletion",
          );
        }
        const settings = isObject(plain.settings) ? plain.settings : {};
        if (settings.deletionProtectionEnabled === true) {
          throw new Error(
            `googleapi: Error 400: The instance ${String(plain.name)} is protected from deletion. ` +
              "Disable deletion protection (settings.deletionProtectionEnabled) first.",
          );
        }
      }
      if (pkg === "gcp" && plain.deletionPolicy === "ABANDON") {
        // The provider only forgets such a resource (tpgresource.DeletionPolicy): it stays in the cloud, with
        // whatever it holds (a private services connection keeps its VPC peering, the network and the range).
        return;
      }
      const live = liveResources(pkg);
      const target = live?.get(`${type} ${id}`);
      const refusal = live && target && inUseError(target, [...live.values()]);
      if (refusal) throw refusal;
      endDrift(pkg, `${type} ${id}`);
      journal(pkg, { op: "delete", type, id, urn });
    },

    async invoke(token) {
      return refuseInvoke(token);
    },
  };
}

/** Starts the emulated provider's gRPC server (prints its port for the engine, as every plugin does). */
export async function serveEmulatedProvider(pkg: PackageName, version: string): Promise<void> {
  const config: ProviderConfig = {
    project: process.env.GOOGLE_PROJECT ?? "sim-project",
    region: process.env.GOOGLE_REGION ?? "us-central1",
  };
  interceptConfigure(pkg, config);
  // The simulated cloud makes tls keys and certificates and random passwords on a worker thread. Started
  // now, it loads its code from the build while that is the build the provider started from, not at the
  // first create, which a rebuild by another process could have replaced in the meantime.
  if (pkg !== "gcp") warmUp(pkg === "tls" ? "selfSignedCert" : "bcryptHash");
  await provider.main(emulatedProvider(pkg, version, config), process.argv.slice(2));
  // Node writes its compile cache (turned on by tools/build/run.mjs) when the process exits normally, and
  // the engine ends its plugins with SIGKILL (sdk/go/common/resource/plugin/plugin.go: Plugin.Close kills
  // the plugin's process group through cmdutil.KillChildren): write it now that the modules are loaded.
  (nodeModule as { flushCompileCache?: () => void }).flushCompileCache?.();
}

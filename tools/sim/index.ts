/**
 * A simulated Google Cloud (with the tls and random providers): given what a Pulumi program registers,
 * answer what the real provider would, in the real formats (self-links, numeric IDs, Cloud SQL's private
 * IPs from the peering range, connection names, real keys, certificates and passwords). Each
 * SimulatedCloud is a cloud of its own: the ranges and addresses one has handed out are not another's.
 *
 * Shared by the Pulumi mocks of the offline plan and the unit tests (`naming: "deterministic"`) and by the
 * emulated providers of the end-to-end suite (`naming: "random"`, see tools/e2e/providers/).
 *
 *   const cloud = new SimulatedCloud();
 *   const { id, outputs } = await cloud.create({ type, name, inputs, project, region, naming });
 *
 * Outputs are the inputs plus the computed properties; an input value is never changed. Types the
 * simulator does not know come back as their inputs with a name-derived ID, so a program never fails on
 * them. Secret inputs stay as given (the caller keeps them secret). The simulator never logs anything.
 */
import { Entropy, Naming, autoName } from "./entropy";
import { CloudState, ResourceHandler } from "./gcp/common";
import * as compute from "./gcp/compute";
import * as dns from "./gcp/dns";
import * as secretmanager from "./gcp/secretmanager";
import * as iam from "./gcp/iam";
import * as monitoring from "./gcp/monitoring";
import * as network from "./gcp/network";
import * as sql from "./gcp/sql";
import * as random from "./random";
import { offThread } from "../offThread";
import { simNow } from "./time";
import { Props, overlay, str, withoutUndefined } from "./values";

export interface SimulateResourceRequest {
  /** The resource type token, e.g. `gcp:compute/network:Network`. */
  readonly type: string;
  /** The logical (Pulumi) name of the resource. */
  readonly name: string;
  /** The resource's inputs, resolved (no Outputs). */
  readonly inputs: Record<string, unknown>;
  /** The provider's project (`gcp:project`); a `project` input overrides it. */
  readonly project: string;
  /** The provider's region (`gcp:region`); a `region` input overrides it. */
  readonly region: string;
  readonly naming: Naming;
}

export interface SimulatedResource {
  /** The provider ID, in the format the real provider uses. */
  readonly id: string;
  /** The inputs plus everything the provider computes. */
  readonly outputs: Record<string, unknown>;
}

const HANDLERS: Record<string, ResourceHandler> = {
  "gcp:compute/network:Network": network.network,
  "gcp:compute/subnetwork:Subnetwork": network.subnetwork,
  "gcp:compute/router:Router": network.router,
  "gcp:compute/routerNat:RouterNat": network.routerNat,
  "gcp:compute/globalAddress:GlobalAddress": network.globalAddress,
  "gcp:servicenetworking/connection:Connection": network.serviceNetworkingConnection,
  "gcp:compute/firewall:Firewall": network.firewall,
  "gcp:serviceaccount/account:Account": iam.serviceAccount,
  "gcp:projects/iAMMember:IAMMember": iam.projectIamMember,
  "gcp:compute/instanceTemplate:InstanceTemplate": compute.instanceTemplate,
  "gcp:compute/regionInstanceGroupManager:RegionInstanceGroupManager": compute.regionInstanceGroupManager,
  "gcp:compute/healthCheck:HealthCheck": compute.healthCheck,
  "gcp:compute/backendService:BackendService": compute.backendService,
  "gcp:compute/uRLMap:URLMap": compute.urlMap,
  "gcp:compute/targetHttpsProxy:TargetHttpsProxy": compute.targetHttpsProxy,
  "gcp:compute/targetHttpProxy:TargetHttpProxy": compute.targetHttpProxy,
  "gcp:compute/sSLPolicy:SSLPolicy": compute.sslPolicy,
  "gcp:compute/securityPolicy:SecurityPolicy": compute.securityPolicy,
  "gcp:compute/managedSslCertificate:ManagedSslCertificate": compute.managedSslCertificate,
  "gcp:compute/sSLCertificate:SSLCertificate": compute.sslCertificate,
  "gcp:compute/globalForwardingRule:GlobalForwardingRule": compute.globalForwardingRule,
  "gcp:sql/databaseInstance:DatabaseInstance": sql.databaseInstance,
  "gcp:sql/database:Database": sql.database,
  "gcp:sql/user:User": sql.user,
  "gcp:monitoring/notificationChannel:NotificationChannel": monitoring.notificationChannel,
  "gcp:monitoring/uptimeCheckConfig:UptimeCheckConfig": monitoring.uptimeCheckConfig,
  "gcp:monitoring/alertPolicy:AlertPolicy": monitoring.alertPolicy,
  "gcp:monitoring/dashboard:Dashboard": monitoring.dashboard,
  "gcp:monitoring/customService:CustomService": monitoring.customService,
  "gcp:monitoring/slo:Slo": monitoring.slo,
  "gcp:dns/recordSet:RecordSet": dns.recordSet,
  "gcp:secretmanager/secret:Secret": secretmanager.secret,
  "gcp:secretmanager/secretVersion:SecretVersion": secretmanager.secretVersion,
  "gcp:secretmanager/secretIamMember:SecretIamMember": secretmanager.secretIamMember,
  "gcp:artifactregistry/repositoryIamMember:RepositoryIamMember": secretmanager.repositoryIamMember,
  // Keys, certificates and bcrypt run on the worker thread (see offThread).
  "tls:index/privateKey:PrivateKey": (ctx) => offThread("privateKey", ctx.inputs),
  "tls:index/selfSignedCert:SelfSignedCert": (ctx) => offThread("selfSignedCert", ctx.inputs, new Date()),
  "random:index/randomPassword:RandomPassword": (ctx) =>
    random.randomPassword(ctx.inputs, (password) => offThread("bcryptHash", password)),
};

/**
 * The name the provider would give a resource of `type` with these inputs, `<logical name>-<7 hex chars>`,
 * or undefined when it keeps the given one. The Compute Engine resources and a Cloud SQL instance get one;
 * the rest either require a name, or the cloud assigns one, like a monitoring alert policy's
 * `projects/p/alertPolicies/123`.
 */
export function providerAssignedName(
  type: string,
  logicalName: string,
  inputs: Record<string, unknown>,
  naming: Naming,
): string | undefined {
  const autonamed =
    (type.startsWith("gcp:compute/") && type in HANDLERS) ||
    type === "gcp:sql/databaseInstance:DatabaseInstance";
  return autonamed && str(inputs.name) === undefined ? autoName(type, logicalName, naming) : undefined;
}

/**
 * Output properties the real SDKs mark secret (`additionalSecretOutputs`); an emulated provider returns
 * them as secrets too.
 */
const SECRET_OUTPUTS: Record<string, readonly string[]> = {
  "tls:index/privateKey:PrivateKey": ["privateKeyOpenssh", "privateKeyPem", "privateKeyPemPkcs8"],
  "tls:index/selfSignedCert:SelfSignedCert": ["privateKeyPem"],
  "random:index/randomPassword:RandomPassword": ["bcryptHash", "result"],
  "gcp:sql/user:User": ["password"],
  "gcp:sql/databaseInstance:DatabaseInstance": ["rootPassword", "serverCaCerts", "replicaConfiguration"],
  "gcp:compute/sSLCertificate:SSLCertificate": ["certificate", "privateKey"],
  "gcp:secretmanager/secretVersion:SecretVersion": ["secretData"],
};

export function secretOutputNames(type: string): readonly string[] {
  return SECRET_OUTPUTS[type] ?? [];
}

/** A simulated cloud; see the module comment. */
export class SimulatedCloud {
  private readonly state = new CloudState();

  /** Simulates the creation of one resource. */
  async create(request: SimulateResourceRequest): Promise<SimulatedResource> {
    const { type, name: logicalName, naming } = request;
    const assignedName = providerAssignedName(type, logicalName, request.inputs, naming);
    const inputs: Props =
      assignedName === undefined ? request.inputs : { ...request.inputs, name: assignedName };
    const handler = HANDLERS[type];
    const result = handler
      ? await handler({
          type,
          logicalName,
          inputs,
          project: str(inputs.project) ?? request.project,
          region: str(inputs.region) ?? request.region,
          naming,
          entropy: new Entropy(`${type}|${logicalName}`, naming),
          now: simNow(naming),
          cloud: this.state,
        })
      : { id: autoName(type, logicalName, naming), computed: {} };
    return {
      id: result.id,
      outputs: asReturned(type, withoutUndefined(overlay(result.computed, inputs)) as Props),
    };
  }
}

/**
 * Outputs as the cloud gives them back, where it rewrites what it was sent (a dashboard's JSON without
 * its default values). Used on create and on update.
 */
export function asReturned(type: string, outputs: Props): Props {
  if (type === "gcp:monitoring/dashboard:Dashboard" && typeof outputs.dashboardJson === "string") {
    return { ...outputs, dashboardJson: monitoring.dashboardJsonAsReturned(outputs.dashboardJson) };
  }
  return outputs;
}

/**
 * The program calls no provider function, so the simulator answers none. An answer made up for one would let
 * a program that came to depend on it look as if it worked; the error names the function instead.
 */
export function refuseInvoke(token: string): never {
  throw new Error(
    `The simulated cloud answers no provider function (invoke), and the program calls none: ${token} was called. Give the simulator an answer for it in tools/sim/ before the program relies on it.`,
  );
}

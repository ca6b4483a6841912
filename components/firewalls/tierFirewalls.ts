import * as pulumi from "@pulumi/pulumi";
import * as gcp from "@pulumi/gcp";
import { googleLoadBalancerRanges, iapTcpForwardingRange } from "./sourceRanges";

export interface TierFirewallsArgs {
  /** The VPC the rules apply to. */
  network: pulumi.Input<string>;
  /** Network tag that marks the web VMs (from the web tier). */
  webTag: string;
  /** Port the web VMs serve HTTPS on (from the web tier). */
  webPort: number;
  /** CIDR of the private services range where Cloud SQL's private IPs live. */
  databaseCidr: pulumi.Input<string>;
}

const logAllMetadata = { metadata: "INCLUDE_ALL_METADATA" };

// The web tier speaks MySQL over TLS straight to the private IP. Cloud SQL's connectors (Auth Proxy,
// language connectors) use 3307, but they need roles/cloudsql.client and their connections do not come
// from the user's host pattern, so that path is not opened; both ports stay fenced for everyone else.
const allowedMysqlPorts = ["3306"];
const fencedMysqlPorts = ["3306", "3307"];

/**
 * A firewall in front of every tier. The web tier only accepts HTTPS from Google's load balancer and SSH
 * through IAP. Cloud SQL sits in a peered Google network where this VPC's ingress rules do not apply, so
 * the database tier is fenced on the way out instead: only web VMs may open MySQL connections to its range.
 * Everything else inbound is denied and logged.
 */
export class TierFirewalls extends pulumi.ComponentResource {
  /** Names of the rules that admit traffic to the web tier. */
  public readonly webRuleNames: pulumi.Output<string[]>;
  /** Names of the rules that fence the database tier. */
  public readonly databaseRuleNames: pulumi.Output<string[]>;
  /** Name of the lowest-priority rule that denies all other ingress. */
  public readonly denyAllIngressRuleName: pulumi.Output<string>;

  constructor(name: string, args: TierFirewallsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("foobar:security:TierFirewalls", name, {}, opts);
    const webTag = args.webTag;
    const webPort = String(args.webPort);
    const rule = (suffix: string, ruleArgs: Omit<gcp.compute.FirewallArgs, "network" | "logConfig">) =>
      new gcp.compute.Firewall(
        `${name}-${suffix}`,
        { network: args.network, logConfig: logAllMetadata, ...ruleArgs },
        { parent: this },
      );

    const webHttps = rule("web-allow-lb-https", {
      description: "Web tier: HTTPS from Google's load balancer and health checkers only.",
      direction: "INGRESS",
      priority: 1000,
      sourceRanges: googleLoadBalancerRanges,
      targetTags: [webTag],
      allows: [{ protocol: "tcp", ports: [webPort] }],
    });
    const webSsh = rule("web-allow-iap-ssh", {
      description: "Web tier: SSH through Identity-Aware Proxy only.",
      direction: "INGRESS",
      priority: 1000,
      sourceRanges: [iapTcpForwardingRange],
      targetTags: [webTag],
      allows: [{ protocol: "tcp", ports: ["22"] }],
    });
    const dbFromWeb = rule("db-allow-web-mysql", {
      description: "Database tier: MySQL connections to Cloud SQL from the web tier only.",
      direction: "EGRESS",
      priority: 1000,
      destinationRanges: [args.databaseCidr],
      targetTags: [webTag],
      allows: [{ protocol: "tcp", ports: allowedMysqlPorts }],
    });
    const dbFromOthers = rule("db-deny-other-mysql", {
      description: "Database tier: no MySQL connections to Cloud SQL from anything but the web tier.",
      direction: "EGRESS",
      priority: 1100,
      destinationRanges: [args.databaseCidr],
      denies: [{ protocol: "tcp", ports: fencedMysqlPorts }],
    });
    const denyAll = rule("deny-all-ingress", {
      description: "Every tier: deny and log any ingress no rule above allows.",
      direction: "INGRESS",
      priority: 65534,
      sourceRanges: ["0.0.0.0/0"],
      denies: [{ protocol: "all" }],
    });

    this.webRuleNames = pulumi.all([webHttps.name, webSsh.name]);
    this.databaseRuleNames = pulumi.all([dbFromWeb.name, dbFromOthers.name]);
    this.denyAllIngressRuleName = denyAll.name;
    this.registerOutputs({
      webRuleNames: this.webRuleNames,
      databaseRuleNames: this.databaseRuleNames,
      denyAllIngressRuleName: this.denyAllIngressRuleName,
    });
  }
}

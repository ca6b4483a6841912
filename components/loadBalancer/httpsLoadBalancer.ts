import * as pulumi from "@pulumi/pulumi";
import * as gcp from "@pulumi/gcp";
import { CertificateMode } from "../../config/stackConfig";
import { createCertificate } from "./certificate";
import { siteDnsRecord } from "./dnsRecord";
import { createEdgeSecurityPolicy, EdgeSecurityArgs } from "./edgeSecurityPolicy";

export interface HttpsLoadBalancerArgs {
  /** Host name the certificate is for. */
  domain: string;
  /** Which certificate the HTTPS proxy presents. */
  certificate: CertificateMode;
  /** Instance groups that serve the site. */
  instanceGroups: pulumi.Input<pulumi.Input<string>[]>;
  /** How the backends serve: the web tier's own contract, so nothing here repeats its defaults. */
  backends: BackendContract;
  /** Cloud Armor at the edge: preview or enforce, and the per-client rate limit. */
  edgeSecurity: EdgeSecurityArgs;
  /** Existing Cloud DNS managed zone to put the domain's A record in; undefined leaves it to the user. */
  dnsZone?: string;
}

/** What the load balancer needs to know of the servers behind it. */
export interface BackendContract {
  /** Named port of the instance groups that speaks HTTPS. */
  namedPort: string;
  /** Port the backends serve HTTPS on, for the health check. */
  httpsPort: number;
  /** Path the health check requests. */
  healthPath: string;
}

/**
 * Google's global external Application Load Balancer: an anycast front end run across Google's edge, so it
 * is not one machine that can fail. It terminates the browser's TLS with the site's certificate under a
 * strict SSL policy, then opens new TLS connections to the backends, so nothing travels in plain text;
 * port 80 only redirects to HTTPS.
 */
export class HttpsLoadBalancer extends pulumi.ComponentResource {
  public readonly ipAddress: pulumi.Output<string>;
  public readonly url: pulumi.Output<string>;
  /** Name of the URL map, which labels the load balancer's request metrics. */
  public readonly urlMapName: pulumi.Output<string>;
  public readonly backendServiceName: pulumi.Output<string>;
  /** The A record of the domain, and whether this stack manages it. */
  public readonly dnsRecord: pulumi.Output<string>;

  constructor(name: string, args: HttpsLoadBalancerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("foobar:loadbalancer:HttpsLoadBalancer", name, {}, opts);
    const { namedPort, httpsPort: backendPort, healthPath } = args.backends;
    const scheme = "EXTERNAL_MANAGED";

    const address = new gcp.compute.GlobalAddress(
      `${name}-ip`,
      { addressType: "EXTERNAL", ipVersion: "IPV4", description: `Public address of ${args.domain}.` },
      { parent: this },
    );

    const healthCheck = new gcp.compute.HealthCheck(
      `${name}-hc`,
      {
        description: "Checks each web VM over HTTPS.",
        checkIntervalSec: 5,
        timeoutSec: 5,
        healthyThreshold: 2,
        unhealthyThreshold: 3,
        httpsHealthCheck: { port: backendPort, requestPath: healthPath },
        logConfig: { enable: true },
      },
      { parent: this },
    );

    const edgePolicy = createEdgeSecurityPolicy(name, args.edgeSecurity, this);

    const backend = new gcp.compute.BackendService(
      `${name}-backend`,
      {
        description: "The web VMs, reached over HTTPS.",
        loadBalancingScheme: scheme,
        protocol: "HTTPS",
        portName: namedPort,
        timeoutSec: 30,
        connectionDrainingTimeoutSec: 30,
        healthChecks: healthCheck.id,
        securityPolicy: edgePolicy.selfLink,
        backends: pulumi.output(args.instanceGroups).apply((groups) =>
          groups.map((group) => ({
            group,
            balancingMode: "UTILIZATION",
            maxUtilization: 0.8,
            capacityScaler: 1,
          })),
        ),
        logConfig: { enable: true, sampleRate: 1 },
      },
      { parent: this },
    );

    const siteMap = new gcp.compute.URLMap(
      `${name}-urlmap`,
      { description: `Routes ${args.domain} to the web VMs.`, defaultService: backend.id },
      { parent: this },
    );

    const sslPolicy = new gcp.compute.SSLPolicy(
      `${name}-tls`,
      {
        // The smallest of Google's cipher sets, meant for strict compliance; every browser still in support
        // negotiates it with TLS 1.2 or 1.3.
        description: "TLS 1.2 or newer with Google's RESTRICTED cipher set.",
        minTlsVersion: "TLS_1_2",
        profile: "RESTRICTED",
      },
      { parent: this },
    );

    const certificate = createCertificate(name, args.certificate, args.domain, this);

    const httpsProxy = new gcp.compute.TargetHttpsProxy(
      `${name}-https-proxy`,
      { urlMap: siteMap.id, sslCertificates: [certificate.id], sslPolicy: sslPolicy.id },
      { parent: this },
    );

    new gcp.compute.GlobalForwardingRule(
      `${name}-https`,
      {
        description: `HTTPS for ${args.domain}.`,
        loadBalancingScheme: scheme,
        ipProtocol: "TCP",
        ipAddress: address.address,
        portRange: "443",
        target: httpsProxy.id,
      },
      { parent: this },
    );

    const redirectMap = new gcp.compute.URLMap(
      `${name}-redirect`,
      {
        description: "Sends every plain-HTTP request to its HTTPS URL.",
        defaultUrlRedirect: {
          httpsRedirect: true,
          redirectResponseCode: "MOVED_PERMANENTLY_DEFAULT",
          stripQuery: false,
        },
      },
      { parent: this },
    );

    const httpProxy = new gcp.compute.TargetHttpProxy(
      `${name}-http-proxy`,
      { description: "Redirects to HTTPS; serves nothing itself.", urlMap: redirectMap.id },
      { parent: this },
    );

    new gcp.compute.GlobalForwardingRule(
      `${name}-http`,
      {
        description: `Plain HTTP for ${args.domain}, redirected to HTTPS.`,
        loadBalancingScheme: scheme,
        ipProtocol: "TCP",
        ipAddress: address.address,
        portRange: "80",
        target: httpProxy.id,
      },
      { parent: this },
    );

    this.ipAddress = address.address;
    this.url = pulumi.output(`https://${args.domain}/`);
    this.urlMapName = siteMap.name;
    this.backendServiceName = backend.name;
    this.dnsRecord = siteDnsRecord(name, args.domain, address.address, args.dnsZone, this);
    this.registerOutputs({
      ipAddress: this.ipAddress,
      url: this.url,
      urlMapName: this.urlMapName,
      backendServiceName: this.backendServiceName,
      dnsRecord: this.dnsRecord,
    });
  }
}

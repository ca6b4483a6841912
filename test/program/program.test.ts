import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { registrationsInLatestRun, runOffline, OfflineRun } from "../../tools/offline/mockRun";
import { maskedSecret } from "../../tools/offline/secrets";
import { countByType, named, ofType, onlyOfType } from "../helpers";
import { renderStartupScript } from "../../components/web/startupScript";
import { webServiceAccountRoles } from "../../components/web/webTier";

describe("the program under the dev stack", () => {
  let dev: OfflineRun;
  before(async () => {
    dev = await runOffline({ stack: "dev" });
  });

  it("registers one component per concern under the stack component", () => {
    const components = dev.resources.filter((r) => !r.custom);
    assert.deepEqual(
      components.map((c) => [c.type, c.name, c.parent]),
      [
        ["foobar:index:WebStack", "foobar", null],
        ["foobar:network:Network", "foobar-net", "foobar"],
        ["foobar:database:MySqlCluster", "foobar-db", "foobar"],
        ["foobar:web:WebTier", "foobar-web", "foobar"],
        ["foobar:security:TierFirewalls", "foobar-fw", "foobar"],
        ["foobar:loadbalancer:HttpsLoadBalancer", "foobar-lb", "foobar"],
        ["foobar:monitoring:Monitoring", "foobar-mon", "foobar"],
      ],
    );
    const orphans = dev.resources.filter((r) => r.custom && r.parent === null);
    assert.deepEqual(orphans, [], "every cloud resource is a child of a component");
  });

  it("registers exactly these resources", () => {
    assert.deepEqual(countByType(dev.resources.filter((r) => r.custom)), {
      "gcp:compute/network:Network": 1,
      "gcp:compute/subnetwork:Subnetwork": 1,
      "gcp:compute/router:Router": 1,
      "gcp:compute/routerNat:RouterNat": 1,
      "gcp:compute/globalAddress:GlobalAddress": 2,
      "gcp:servicenetworking/connection:Connection": 1,
      "gcp:compute/firewall:Firewall": 5,
      "gcp:serviceaccount/account:Account": 1,
      "gcp:projects/iAMMember:IAMMember": 2,
      "gcp:compute/instanceTemplate:InstanceTemplate": 1,
      "gcp:compute/healthCheck:HealthCheck": 2,
      "gcp:compute/regionInstanceGroupManager:RegionInstanceGroupManager": 1,
      "gcp:compute/backendService:BackendService": 1,
      "gcp:compute/uRLMap:URLMap": 2,
      "gcp:compute/sSLPolicy:SSLPolicy": 1,
      "gcp:compute/securityPolicy:SecurityPolicy": 1,
      "tls:index/privateKey:PrivateKey": 1,
      "tls:index/selfSignedCert:SelfSignedCert": 1,
      "gcp:compute/sSLCertificate:SSLCertificate": 1,
      "gcp:compute/targetHttpsProxy:TargetHttpsProxy": 1,
      "gcp:compute/targetHttpProxy:TargetHttpProxy": 1,
      "gcp:compute/globalForwardingRule:GlobalForwardingRule": 2,
      "gcp:sql/databaseInstance:DatabaseInstance": 2,
      "gcp:sql/database:Database": 1,
      "random:index/randomPassword:RandomPassword": 1,
      "gcp:sql/user:User": 1,
      "gcp:secretmanager/secret:Secret": 1,
      "gcp:secretmanager/secretVersion:SecretVersion": 1,
      "gcp:secretmanager/secretIamMember:SecretIamMember": 1,
      "gcp:monitoring/notificationChannel:NotificationChannel": 1,
      "gcp:monitoring/uptimeCheckConfig:UptimeCheckConfig": 1,
      "gcp:monitoring/customService:CustomService": 1,
      "gcp:monitoring/slo:Slo": 2,
      "gcp:monitoring/alertPolicy:AlertPolicy": 17,
      "gcp:monitoring/dashboard:Dashboard": 1,
    });
  });

  describe("Network", () => {
    it("is a custom-mode VPC with NAT and private services access", () => {
      const vpc = onlyOfType(dev.resources, "gcp:compute/network:Network", "foobar-net");
      assert.equal(vpc.props.autoCreateSubnetworks, false);
      const subnet = onlyOfType(dev.resources, "gcp:compute/subnetwork:Subnetwork", "foobar-net");
      assert.equal(subnet.props.ipCidrRange, "10.10.0.0/24");
      assert.equal(subnet.props.region, "us-central1");
      assert.equal(subnet.props.network, vpc.props.id);
      assert.equal(subnet.props.privateIpGoogleAccess, true);
      const nat = onlyOfType(dev.resources, "gcp:compute/routerNat:RouterNat", "foobar-net");
      assert.equal(nat.props.sourceSubnetworkIpRangesToNat, "LIST_OF_SUBNETWORKS");
      const range = named(dev.resources, "foobar-net-private-services-range");
      assert.equal(range.type, "gcp:compute/globalAddress:GlobalAddress");
      assert.deepEqual(
        [range.props.purpose, range.props.addressType, range.props.prefixLength],
        ["VPC_PEERING", "INTERNAL", 20],
      );
      const peering = onlyOfType(dev.resources, "gcp:servicenetworking/connection:Connection", "foobar-net");
      assert.equal(peering.props.service, "servicenetworking.googleapis.com");
      assert.deepEqual(peering.props.reservedPeeringRanges, [range.props.name]);
      assert.equal(peering.props.deletionPolicy, "ABANDON");
    });

    it("Cloud SQL instances depend explicitly on the private services connection", () => {
      for (const instance of ofType(dev.resources, "gcp:sql/databaseInstance:DatabaseInstance")) {
        assert.ok(
          instance.dependencies.includes("foobar-net-private-services-peering"),
          `${instance.name} depends on ${instance.dependencies.join(", ")}`,
        );
      }
    });
  });

  describe("TierFirewalls", () => {
    const rule = (name: string) => named(dev.resources, `foobar-fw-${name}`).props;

    it("web tier: 443 from Google's load balancer ranges and 22 from IAP only", () => {
      const https = rule("web-allow-lb-https");
      assert.equal(https.direction, "INGRESS");
      assert.deepEqual(https.sourceRanges, ["130.211.0.0/22", "35.191.0.0/16"]);
      assert.deepEqual(https.targetTags, ["web"]);
      assert.deepEqual(https.allows, [{ protocol: "tcp", ports: ["443"] }]);
      const ssh = rule("web-allow-iap-ssh");
      assert.deepEqual(ssh.sourceRanges, ["35.235.240.0/20"]);
      assert.deepEqual(ssh.allows, [{ protocol: "tcp", ports: ["22"] }]);
    });

    it("database tier: only web VMs may open MySQL connections to the private services range", () => {
      const range = named(dev.resources, "foobar-net-private-services-range").props;
      const cidr = `${range.address}/20`;
      const allow = rule("db-allow-web-mysql");
      assert.deepEqual(
        [allow.direction, allow.priority, allow.destinationRanges, allow.targetTags, allow.allows],
        ["EGRESS", 1000, [cidr], ["web"], [{ protocol: "tcp", ports: ["3306"] }]],
      );
      const deny = rule("db-deny-other-mysql");
      assert.deepEqual(
        [deny.direction, deny.priority, deny.destinationRanges, deny.targetTags, deny.denies],
        ["EGRESS", 1100, [cidr], undefined, [{ protocol: "tcp", ports: ["3306", "3307"] }]],
      );
    });

    it("denies all other ingress at the lowest priority, and logs every rule", () => {
      const denyAll = rule("deny-all-ingress");
      assert.deepEqual(
        [denyAll.direction, denyAll.priority, denyAll.sourceRanges, denyAll.denies],
        ["INGRESS", 65534, ["0.0.0.0/0"], [{ protocol: "all" }]],
      );
      for (const fw of ofType(dev.resources, "gcp:compute/firewall:Firewall")) {
        assert.deepEqual(fw.props.logConfig, { metadata: "INCLUDE_ALL_METADATA" }, fw.name);
        assert.equal(fw.props.network, named(dev.resources, "foobar-net-vpc").props.id, fw.name);
      }
    });

    it("no rule allows ingress from anywhere", () => {
      const open = ofType(dev.resources, "gcp:compute/firewall:Firewall").filter(
        (fw) =>
          fw.props.allows !== undefined &&
          (fw.props.sourceRanges as string[] | undefined)?.includes("0.0.0.0/0"),
      );
      assert.deepEqual(open, []);
    });
  });

  describe("WebTier", () => {
    it("is a regional managed group of three VMs spread evenly over three zones, healed over HTTPS", () => {
      const group = onlyOfType(
        dev.resources,
        "gcp:compute/regionInstanceGroupManager:RegionInstanceGroupManager",
        "foobar-web",
      );
      const template = onlyOfType(
        dev.resources,
        "gcp:compute/instanceTemplate:InstanceTemplate",
        "foobar-web",
      );
      const autoheal = named(dev.resources, "foobar-web-autoheal");
      assert.equal(group.props.region, "us-central1");
      assert.equal(group.props.targetSize, 3);
      assert.deepEqual(group.props.distributionPolicyZones, [
        "us-central1-a",
        "us-central1-b",
        "us-central1-c",
      ]);
      assert.equal(group.props.distributionPolicyTargetShape, "EVEN");
      assert.deepEqual(group.props.namedPorts, [{ name: "https", port: 443 }]);
      assert.deepEqual(group.props.versions, [
        { name: "primary", instanceTemplate: template.props.selfLinkUnique },
      ]);
      assert.deepEqual(group.props.autoHealingPolicies, {
        healthCheck: autoheal.props.id,
        initialDelaySec: 600,
      });
      const probe = autoheal.props.httpsHealthCheck as Record<string, unknown>;
      assert.deepEqual([probe.port, probe.requestPath], [443, "/healthz"]);
      assert.equal(template.props.machineType, "e2-small");
    });

    it("rolls a new template out three VMs at a time, never taking one away first", () => {
      const group = named(dev.resources, "foobar-web-group");
      assert.deepEqual(group.props.updatePolicy, {
        type: "PROACTIVE",
        minimalAction: "REPLACE",
        replacementMethod: "SUBSTITUTE",
        maxSurgeFixed: 3,
        maxUnavailableFixed: 0,
        instanceRedistributionType: "PROACTIVE",
      });
      assert.equal(group.props.waitForInstances, true);
    });

    it("creates the template, and so every VM, only after Cloud NAT and the agent's grants", () => {
      const template = named(dev.resources, "foobar-web-template");
      for (const dependency of ["foobar-net-nat", "foobar-web-logWriter", "foobar-web-metricWriter"]) {
        assert.ok(template.dependencies.includes(dependency), dependency);
      }
    });

    it("hardens every VM through the template: no public IP, Shielded VM, OS Login, no project keys, no serial port", () => {
      const account = onlyOfType(dev.resources, "gcp:serviceaccount/account:Account", "foobar-web");
      const template = named(dev.resources, "foobar-web-template");
      const nics = template.props.networkInterfaces as Record<string, unknown>[];
      assert.equal(nics.length, 1);
      assert.deepEqual(nics[0].accessConfigs ?? [], []);
      assert.deepEqual(template.props.shieldedInstanceConfig, {
        enableSecureBoot: true,
        enableVtpm: true,
        enableIntegrityMonitoring: true,
      });
      const metadata = template.props.metadata as Record<string, string>;
      assert.equal(metadata["enable-oslogin"], "TRUE");
      assert.equal(metadata["block-project-ssh-keys"], "true");
      assert.equal(metadata["serial-port-enable"], "false");
      assert.equal(
        metadata["startup-script"],
        renderStartupScript({ domain: "dev.foobar.com", httpsPort: 443, healthPath: "/healthz" }),
      );
      assert.equal(template.props.canIpForward, false);
      assert.deepEqual(template.props.tags, ["web"]);
      assert.deepEqual(template.props.labels, { tier: "web" });
      assert.deepEqual(template.props.serviceAccount, {
        email: account.props.email,
        scopes: ["cloud-platform"],
      });
      assert.deepEqual(template.props.scheduling, { automaticRestart: true, onHostMaintenance: "MIGRATE" });
    });

    it("tells the VMs where the database is through metadata, and lets them read only its password secret", () => {
      const template = named(dev.resources, "foobar-web-template");
      const primary = named(dev.resources, "foobar-db-primary").props;
      const replica = named(dev.resources, "foobar-db-replica-1").props;
      const secret = onlyOfType(dev.resources, "gcp:secretmanager/secret:Secret");
      const metadata = template.props.metadata as Record<string, string>;
      const attributes = Object.fromEntries(Object.entries(metadata).filter(([k]) => k !== "startup-script"));
      assert.deepEqual(attributes, {
        "enable-oslogin": "TRUE",
        "block-project-ssh-keys": "true",
        "serial-port-enable": "false",
        "foobar-db-host": primary.privateIpAddress,
        "foobar-db-read-hosts": replica.privateIpAddress,
        "foobar-db-name": "foobar",
        "foobar-db-user": "foobar_app",
        "foobar-db-server-ca": metadata["foobar-db-server-ca"],
        "foobar-db-password-secret": String(
          onlyOfType(dev.resources, "gcp:secretmanager/secretVersion:SecretVersion").props.name,
        ),
      });
      // Public, so not a secret in the plan, though Cloud SQL returns it among the instance's secret outputs.
      assert.match(
        metadata["foobar-db-server-ca"],
        /^-----BEGIN CERTIFICATE-----\n[\s\S]+-----END CERTIFICATE-----\n?$/,
      );
      assert.equal(secret.props.id, "projects/foobar-web-dev/secrets/foobar-db-app-password");
      // The version by name, so a new password changes the template and rolls out to every VM.
      assert.match(
        metadata["foobar-db-password-secret"],
        /^projects\/\d{12}\/secrets\/foobar-db-app-password\/versions\/1$/,
      );
      const version = onlyOfType(dev.resources, "gcp:secretmanager/secretVersion:SecretVersion");
      assert.equal(version.props.secret, secret.props.id);
      assert.equal(version.props.secretData, maskedSecret);
      const account = onlyOfType(dev.resources, "gcp:serviceaccount/account:Account", "foobar-web");
      const reader = onlyOfType(dev.resources, "gcp:secretmanager/secretIamMember:SecretIamMember");
      assert.deepEqual(
        [reader.props.secretId, reader.props.role, reader.props.member],
        [secret.props.id, "roles/secretmanager.secretAccessor", `serviceAccount:${account.props.email}`],
      );
      assert.ok(template.dependencies.includes("foobar-web-db-password-reader"));
      assert.deepEqual(
        ofType(dev.resources, "gcp:projects/iAMMember:IAMMember").map((m) => m.props.role),
        webServiceAccountRoles,
        "no project-wide grant beyond logs and metrics",
      );
    });

    it("gives the VMs' own service account only log and metric writing", () => {
      const account = onlyOfType(dev.resources, "gcp:serviceaccount/account:Account", "foobar-web");
      assert.equal(account.props.accountId, "foobar-web-vm");
      const grants = ofType(dev.resources, "gcp:projects/iAMMember:IAMMember", "foobar-web");
      assert.deepEqual(
        grants.map((g) => [g.props.project, g.props.role, g.props.member]),
        [
          ["foobar-web-dev", "roles/logging.logWriter", `serviceAccount:${account.props.email}`],
          ["foobar-web-dev", "roles/monitoring.metricWriter", `serviceAccount:${account.props.email}`],
        ],
      );
    });
  });

  describe("HttpsLoadBalancer", () => {
    it("is a global EXTERNAL_MANAGED load balancer that speaks HTTPS to the backends", () => {
      const backend = onlyOfType(dev.resources, "gcp:compute/backendService:BackendService", "foobar-lb");
      assert.equal(backend.props.loadBalancingScheme, "EXTERNAL_MANAGED");
      assert.equal(backend.props.protocol, "HTTPS");
      assert.equal(backend.props.portName, "https");
      const group = named(dev.resources, "foobar-web-group");
      assert.deepEqual(
        (backend.props.backends as { group: string }[]).map((b) => b.group),
        [group.props.instanceGroup],
      );
      const hc = onlyOfType(dev.resources, "gcp:compute/healthCheck:HealthCheck", "foobar-lb");
      const probe = hc.props.httpsHealthCheck as Record<string, unknown>;
      assert.deepEqual([probe.port, probe.requestPath], [443, "/healthz"]);
      assert.deepEqual(backend.props.healthChecks, hc.props.id);
    });

    it("puts Cloud Armor in front of the backends: OWASP rules, a per-client rate limit, Adaptive Protection", () => {
      const backend = named(dev.resources, "foobar-lb-backend");
      const armor = onlyOfType(dev.resources, "gcp:compute/securityPolicy:SecurityPolicy", "foobar-lb");
      assert.equal(backend.props.securityPolicy, armor.props.selfLink);
      assert.deepEqual(armor.props.adaptiveProtectionConfig, {
        layer7DdosDefenseConfig: { enable: true, ruleVisibility: "STANDARD" },
      });
      const rules = armor.props.rules as Record<string, unknown>[];
      assert.deepEqual(
        rules.map((r) => [
          r.priority,
          r.action,
          r.preview,
          (r.match as { expr?: { expression: string } }).expr?.expression,
        ]),
        [
          ...[
            "sqli-v33-stable",
            "xss-v33-stable",
            "lfi-v33-stable",
            "rfi-v33-stable",
            "rce-v33-stable",
            "scannerdetection-v33-stable",
            "protocolattack-v33-stable",
            "cve-canary",
          ].map((rule, i) => [
            1000 + 10 * i,
            "deny(403)",
            true,
            `evaluatePreconfiguredWaf('${rule}', {'sensitivity': 1})`,
          ]),
          [2000, "throttle", true, undefined],
          [2147483647, "allow", undefined, undefined],
        ],
      );
      assert.deepEqual(rules[8].rateLimitOptions, {
        conformAction: "allow",
        exceedAction: "deny(429)",
        enforceOnKey: "IP",
        rateLimitThreshold: { count: 600, intervalSec: 60 },
      });
      assert.deepEqual(rules[8].match, { versionedExpr: "SRC_IPS_V1", config: { srcIpRanges: ["*"] } });
    });

    it("terminates browser TLS under a TLS 1.2+ RESTRICTED policy with the stack's certificate", () => {
      const policy = onlyOfType(dev.resources, "gcp:compute/sSLPolicy:SSLPolicy", "foobar-lb");
      assert.deepEqual([policy.props.minTlsVersion, policy.props.profile], ["TLS_1_2", "RESTRICTED"]);
      const proxy = onlyOfType(dev.resources, "gcp:compute/targetHttpsProxy:TargetHttpsProxy", "foobar-lb");
      const cert = onlyOfType(dev.resources, "gcp:compute/sSLCertificate:SSLCertificate", "foobar-lb");
      assert.deepEqual(proxy.props.sslCertificates, [cert.props.id]);
      assert.equal(proxy.props.sslPolicy, policy.props.id);
      assert.equal(proxy.props.urlMap, named(dev.resources, "foobar-lb-urlmap").props.id);
    });

    it("dev's self-signed certificate is for the dev domain and its key is secret", () => {
      const selfSigned = onlyOfType(dev.resources, "tls:index/selfSignedCert:SelfSignedCert");
      assert.deepEqual(selfSigned.props.dnsNames, ["dev.foobar.com"]);
      assert.equal(selfSigned.props.privateKeyPem, maskedSecret);
      const key = onlyOfType(dev.resources, "tls:index/privateKey:PrivateKey");
      assert.deepEqual([key.props.algorithm, key.props.ecdsaCurve], ["ECDSA", "P256"]);
      assert.equal(key.props.privateKeyPem, maskedSecret);
      assert.match(String(key.props.publicKeyPem), /^-----BEGIN PUBLIC KEY-----/);
      assert.match(String(selfSigned.props.certPem), /^-----BEGIN CERTIFICATE-----/);
      const cert = onlyOfType(dev.resources, "gcp:compute/sSLCertificate:SSLCertificate");
      assert.equal(cert.props.privateKey, maskedSecret);
    });

    it("serves HTTPS on 443 and only redirects on 80, from one global address", () => {
      const address = named(dev.resources, "foobar-lb-ip");
      assert.equal(address.props.addressType, "EXTERNAL");
      const https = named(dev.resources, "foobar-lb-https").props;
      const http = named(dev.resources, "foobar-lb-http").props;
      assert.deepEqual(
        [https.portRange, https.target, https.ipAddress, https.loadBalancingScheme],
        [
          "443",
          named(dev.resources, "foobar-lb-https-proxy").props.id,
          address.props.address,
          "EXTERNAL_MANAGED",
        ],
      );
      assert.deepEqual(
        [http.portRange, http.target, http.ipAddress],
        ["80", named(dev.resources, "foobar-lb-http-proxy").props.id, address.props.address],
      );
      const redirect = named(dev.resources, "foobar-lb-redirect").props;
      assert.deepEqual(redirect.defaultUrlRedirect, {
        httpsRedirect: true,
        redirectResponseCode: "MOVED_PERMANENTLY_DEFAULT",
        stripQuery: false,
      });
      assert.equal(redirect.defaultService, undefined);
      assert.equal(named(dev.resources, "foobar-lb-http-proxy").props.urlMap, redirect.id);
    });
  });

  describe("MySqlCluster", () => {
    it("primary: MySQL 8, REGIONAL with a standby zone, backups and binary logs, private and TLS-only", () => {
      const primary = named(dev.resources, "foobar-db-primary").props;
      const settings = primary.settings as Record<string, Record<string, unknown>>;
      assert.equal(primary.databaseVersion, "MYSQL_8_4");
      assert.equal(primary.deletionProtection, false);
      assert.equal(settings.availabilityType, "REGIONAL");
      assert.deepEqual(settings.locationPreference, {
        zone: "us-central1-a",
        secondaryZone: "us-central1-b",
      });
      assert.equal(settings.backupConfiguration.enabled, true);
      assert.equal(settings.backupConfiguration.binaryLogEnabled, true);
      assert.deepEqual(settings.ipConfiguration, {
        ipv4Enabled: false,
        privateNetwork: named(dev.resources, "foobar-net-vpc").props.id,
        sslMode: "ENCRYPTED_ONLY",
        authorizedNetworks: [],
      });
      assert.deepEqual(settings.databaseFlags, [
        { name: "local_infile", value: "off" },
        { name: "skip_show_database", value: "on" },
      ]);
    });

    it("read replica: of the primary, in another zone, equally private", () => {
      const primary = named(dev.resources, "foobar-db-primary").props;
      const replica = named(dev.resources, "foobar-db-replica-1").props;
      const settings = replica.settings as Record<string, unknown>;
      assert.equal(replica.masterInstanceName, primary.name);
      assert.equal((settings.locationPreference as Record<string, unknown>).zone, "us-central1-b");
      assert.deepEqual(
        settings.ipConfiguration,
        (primary.settings as Record<string, unknown>).ipConfiguration,
      );
    });

    it("the application user's password is random, secret, and the user may only connect from the web subnet", () => {
      const password = onlyOfType(dev.resources, "random:index/randomPassword:RandomPassword");
      assert.equal(password.props.length, 32);
      assert.equal(password.props.result, maskedSecret);
      const user = onlyOfType(dev.resources, "gcp:sql/user:User");
      assert.deepEqual(
        [user.props.name, user.props.host, user.props.password, user.props.instance],
        ["foobar_app", "10.10.0.%", maskedSecret, named(dev.resources, "foobar-db-primary").props.name],
      );
    });
  });

  it("exports the site URL, the load balancer IP, the web group with its zones, the database and the dashboard", () => {
    const lbAddress = named(dev.resources, "foobar-lb-ip").props.address;
    const primary = named(dev.resources, "foobar-db-primary").props;
    const replica = named(dev.resources, "foobar-db-replica-1").props;
    const group = named(dev.resources, "foobar-web-group");
    const dashboard = onlyOfType(dev.resources, "gcp:monitoring/dashboard:Dashboard");
    assert.deepEqual(dev.outputs, {
      siteUrl: "https://dev.foobar.com/",
      loadBalancerIp: lbAddress,
      webGroup: {
        name: group.props.name,
        region: "us-central1",
        targetSize: 3,
        zones: ["us-central1-a", "us-central1-b", "us-central1-c"],
        vmsPerZone: { "us-central1-a": 1, "us-central1-b": 1, "us-central1-c": 1 },
        extraVms: 0,
      },
      databaseConnectionNames: { primary: primary.connectionName, replicas: [replica.connectionName] },
      dashboardUrl: `https://console.cloud.google.com/monitoring/dashboards/builder/${String(dashboard.props.id).split("/").pop()}?project=foobar-web-dev`,
      dnsRecord: `dev.foobar.com. 300 IN A ${String(lbAddress)} (not managed by this stack: create it where dev.foobar.com is hosted, or set dnsZone)`,
      databaseAccess: {
        primaryPrivateIp: primary.privateIpAddress,
        replicaPrivateIps: [replica.privateIpAddress],
        database: "foobar",
        user: "foobar_app",
        passwordSecret: "projects/foobar-web-dev/secrets/foobar-db-app-password",
      },
    });
    assert.match(
      String(primary.connectionName),
      /^foobar-web-dev:us-central1:foobar-db-primary-[0-9a-f]{7}$/,
    );
  });
});

describe("the program under the prod stack", () => {
  let prod: OfflineRun;
  before(async () => {
    prod = await runOffline({ stack: "prod" });
  });

  it("uses a Google-managed certificate for www.foobar.com and no tls resources", () => {
    const cert = onlyOfType(
      prod.resources,
      "gcp:compute/managedSslCertificate:ManagedSslCertificate",
      "foobar-lb",
    );
    assert.deepEqual(cert.props.managed, { domains: ["www.foobar.com"] });
    assert.deepEqual(ofType(prod.resources, "tls:index/privateKey:PrivateKey"), []);
    assert.deepEqual(ofType(prod.resources, "gcp:compute/sSLCertificate:SSLCertificate"), []);
    const proxy = onlyOfType(prod.resources, "gcp:compute/targetHttpsProxy:TargetHttpsProxy");
    assert.deepEqual(proxy.props.sslCertificates, [cert.props.id]);
    const uptime = onlyOfType(prod.resources, "gcp:monitoring/uptimeCheckConfig:UptimeCheckConfig");
    assert.equal((uptime.props.httpCheck as Record<string, unknown>).validateSsl, true);
  });

  it("protects the databases from deletion and runs two replicas in the other zones", () => {
    const instances = ofType(prod.resources, "gcp:sql/databaseInstance:DatabaseInstance");
    assert.deepEqual(
      instances.map((i) => {
        const settings = i.props.settings as Record<string, unknown>;
        return [
          i.name,
          i.props.deletionProtection,
          settings.deletionProtectionEnabled,
          settings.tier,
          (settings.locationPreference as Record<string, unknown>).zone,
          (settings.locationPreference as Record<string, unknown>).secondaryZone || null,
        ];
      }),
      [
        ["foobar-db-primary", true, true, "db-custom-4-15360", "us-central1-a", "us-central1-b"],
        ["foobar-db-replica-1", true, true, "db-custom-4-15360", "us-central1-b", null],
        ["foobar-db-replica-2", true, true, "db-custom-4-15360", "us-central1-c", null],
      ],
    );
  });

  it("uses the larger machine type and the prod QPS threshold", () => {
    assert.equal(named(prod.resources, "foobar-web-template").props.machineType, "n2-standard-2");
    const qps = named(prod.resources, "foobar-mon-qps-high").props;
    const condition = (qps.conditions as Record<string, Record<string, unknown>>[])[0].conditionThreshold;
    assert.equal(condition.thresholdValue, 2000);
  });
});

describe("the program with other settings", () => {
  it("five VMs over two zones: two each, and one more where Google puts it", async () => {
    const run = await runOffline({
      stack: "dev",
      overrides: { webInstanceCount: "5", zones: '["us-central1-b","us-central1-f"]' },
    });
    const group = named(run.resources, "foobar-web-group");
    assert.deepEqual(
      [group.props.targetSize, group.props.distributionPolicyZones],
      [5, ["us-central1-b", "us-central1-f"]],
    );
    assert.equal((group.props.updatePolicy as Record<string, unknown>).maxSurgeFixed, 2);
    const summary = run.outputs.webGroup as Record<string, unknown>;
    assert.deepEqual([summary.vmsPerZone, summary.extraVms], [{ "us-central1-b": 2, "us-central1-f": 2 }, 1]);
  });

  it("with appImage, names the image in metadata and lets the VMs pull from its repository only", async () => {
    const image = "europe-west1-docker.pkg.dev/foobar-images/site/app:2.0.1";
    const run = await runOffline({ stack: "prod", overrides: { appImage: image } });
    const template = named(run.resources, "foobar-web-template");
    assert.equal((template.props.metadata as Record<string, string>)["foobar-app-image"], image);
    const reader = onlyOfType(run.resources, "gcp:artifactregistry/repositoryIamMember:RepositoryIamMember");
    const account = onlyOfType(run.resources, "gcp:serviceaccount/account:Account", "foobar-web");
    assert.deepEqual(
      [
        reader.props.location,
        reader.props.project,
        reader.props.repository,
        reader.props.role,
        reader.props.member,
      ],
      [
        "europe-west1",
        "foobar-images",
        "site",
        "roles/artifactregistry.reader",
        `serviceAccount:${account.props.email}`,
      ],
    );
    assert.ok(template.dependencies.includes("foobar-web-image-reader"));
    const elsewhere = await runOffline({
      stack: "dev",
      overrides: { appImage: "docker.io/library/httpd:2.4" },
    });
    assert.deepEqual(
      ofType(elsewhere.resources, "gcp:artifactregistry/repositoryIamMember:RepositoryIamMember"),
      [],
    );
  });

  it("prod enforces Cloud Armor's rules, at the configured rate limit", async () => {
    const run = await runOffline({ stack: "prod", overrides: { rateLimitPerMinute: "1200" } });
    const rules = named(run.resources, "foobar-lb-armor").props.rules as Record<string, unknown>[];
    assert.deepEqual(
      rules.slice(0, 9).map((r) => r.preview),
      Array(9).fill(false),
    );
    assert.deepEqual((rules[8].rateLimitOptions as Record<string, unknown>).rateLimitThreshold, {
      count: 1200,
      intervalSec: 60,
    });
  });

  it("runs MySQL 8.4 by default and the configured version everywhere", async () => {
    const versions = (run: OfflineRun) =>
      ofType(run.resources, "gcp:sql/databaseInstance:DatabaseInstance").map((i) => i.props.databaseVersion);
    assert.deepEqual(versions(await runOffline({ stack: "prod" })), ["MYSQL_8_4", "MYSQL_8_4", "MYSQL_8_4"]);
    const older = await runOffline({ stack: "dev", overrides: { dbVersion: "MYSQL_8_0" } });
    assert.deepEqual(versions(older), ["MYSQL_8_0", "MYSQL_8_0"]);
  });

  it("without dnsZone, makes no record and says which one to create; with it, makes the A record", async () => {
    const without = await runOffline({ stack: "prod" });
    const address = named(without.resources, "foobar-lb-ip").props.address;
    assert.deepEqual(ofType(without.resources, "gcp:dns/recordSet:RecordSet"), []);
    assert.equal(
      without.outputs.dnsRecord,
      `www.foobar.com. 300 IN A ${String(address)} (not managed by this stack: create it where www.foobar.com is hosted, or set dnsZone)`,
    );
    const managed = await runOffline({ stack: "prod", overrides: { dnsZone: "foobar-com" } });
    const record = onlyOfType(managed.resources, "gcp:dns/recordSet:RecordSet", "foobar-lb");
    const ip = named(managed.resources, "foobar-lb-ip").props.address;
    assert.deepEqual(
      [
        record.props.managedZone,
        record.props.name,
        record.props.type,
        record.props.ttl,
        record.props.rrdatas,
      ],
      ["foobar-com", "www.foobar.com.", "A", 300, [ip]],
    );
    assert.equal(
      record.props.id,
      "projects/foobar-web-prod/managedZones/foobar-com/rrsets/www.foobar.com./A",
    );
    assert.equal(
      managed.outputs.dnsRecord,
      `www.foobar.com. 300 IN A ${String(ip)} (in Cloud DNS zone foobar-com)`,
    );
  });

  it("without high availability the primary is ZONAL with no standby zone, and no replica is made", async () => {
    const run = await runOffline({
      stack: "dev",
      overrides: { dbHighAvailability: "false", dbReplicaCount: "0" },
    });
    const instances = ofType(run.resources, "gcp:sql/databaseInstance:DatabaseInstance");
    assert.equal(instances.length, 1);
    const settings = instances[0].props.settings as Record<string, unknown>;
    assert.equal(settings.availabilityType, "ZONAL");
    const location = settings.locationPreference as Record<string, unknown>;
    assert.deepEqual([location.zone, location.secondaryZone || null], ["us-central1-a", null]);
    assert.deepEqual(run.outputs.databaseConnectionNames, {
      primary: instances[0].props.connectionName,
      replicas: [],
    });
  });
});

describe("the program with invalid config", () => {
  const cases: [Record<string, string>, string][] = [
    [
      { domain: "not a domain" },
      'Config "foobar-web:domain" has the invalid value "not a domain"; expected a lowercase DNS host name such as www.foobar.com.',
    ],
    [
      { webInstanceCount: "0" },
      'Config "foobar-web:webInstanceCount" has the invalid value "0"; expected a whole number of 1 or more.',
    ],
    [
      { zones: '["europe-west1-b"]' },
      'Config "foobar-web:zones" has the invalid value "[\\"europe-west1-b\\"]"; expected a non-empty list of distinct zones of region us-central1 (such as ["us-central1-a", "us-central1-b"]).',
    ],
    [
      { certificate: "acme" },
      'Config "foobar-web:certificate" has the invalid value "acme"; expected one of "managed", "self-signed".',
    ],
    [
      { dbReplicaCount: "-2" },
      'Config "foobar-web:dbReplicaCount" has the invalid value "-2"; expected a whole number of 0 or more.',
    ],
    [
      { qpsAlertThreshold: "0" },
      'Config "foobar-web:qpsAlertThreshold" has the invalid value "0"; expected a whole number of 1 or more.',
    ],
    [
      { sloLatencyPercent: "99.999" },
      'Config "foobar-web:sloLatencyPercent" has the invalid value "99.999"; expected a percentage from 95 to 99.99 with at most two decimals, such as 99.9.',
    ],
    [
      { alertEmail: "nobody" },
      'Config "foobar-web:alertEmail" has the invalid value "nobody"; expected an e-mail address such as ops@foobar.com.',
    ],
    [
      { dbHighAvailability: "maybe" },
      'Config "foobar-web:dbHighAvailability" has the invalid value "maybe"; expected true or false.',
    ],
    [
      { machineType: "" },
      'Config "foobar-web:machineType" has the invalid value ""; expected a Compute Engine machine type such as e2-medium or n2-standard-2.',
    ],
    [
      { "gcp:region": "mars" },
      'Config "gcp:region" has the invalid value "mars"; expected a Google Cloud region such as us-central1.',
    ],
  ];
  for (const [overrides, message] of cases) {
    it(`${Object.keys(overrides)[0]}: stops with one message and registers nothing`, async () => {
      await assert.rejects(runOffline({ stack: "dev", overrides }), (err: Error) => {
        assert.equal(err.message, message);
        assert.ok(pulumi.RunError.isInstance(err), "a RunError, which the CLI prints without a stack trace");
        return true;
      });
      assert.equal(await registrationsInLatestRun(), 0);
    });
  }
});

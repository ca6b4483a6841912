import * as assert from "node:assert/strict";
import { X509Certificate } from "node:crypto";
import { SimulateResourceRequest, SimulatedCloud, refuseInvoke } from "..";
import { Address4 } from "ip-address";
import { parseCidr } from "../net";

const PROJECT = "foobar-web-dev";
const REGION = "us-central1";
const COMPUTE = "https://www.googleapis.com/compute/v1/";

/** Whether `ip` is in the range `cidr` (`a.b.c.d/n`). */
const inRange = (cidr: string, ip: string) => new Address4(ip).isInSubnet(new Address4(cidr));

/** A fresh cloud for each test: what one test's subnets and instances took is not another's. */
let cloud = new SimulatedCloud();

function simulate(type: string, name: string, inputs: Record<string, unknown> = {}) {
  const request: SimulateResourceRequest = {
    type,
    name,
    inputs,
    project: PROJECT,
    region: REGION,
    naming: "deterministic",
  };
  return cloud.create(request);
}

describe("sim: Google Cloud resources", () => {
  beforeEach(() => (cloud = new SimulatedCloud()));

  describe("autonaming", () => {
    it("names a resource without a name <logical name>-<7 hex chars>, the same for the same request", async () => {
      const first = await simulate("gcp:compute/network:Network", "vpc");
      const second = await simulate("gcp:compute/network:Network", "vpc");
      assert.match(String(first.outputs.name), /^vpc-[0-9a-f]{7}$/);
      assert.deepEqual(second, first);
    });

    it("keeps a given name", async () => {
      const { outputs } = await simulate("gcp:compute/network:Network", "vpc", { name: "main" });
      assert.equal(outputs.name, "main");
    });

    it("gives different types with the same logical name different names", async () => {
      const network = await simulate("gcp:compute/network:Network", "web");
      const firewall = await simulate("gcp:compute/firewall:Firewall", "web", { network: "x" });
      assert.notEqual(network.outputs.name, firewall.outputs.name);
    });

    it("draws a random suffix in random mode", async () => {
      const names = new Set<unknown>();
      for (let i = 0; i < 5; i++) {
        const { outputs } = await cloud.create({
          type: "gcp:compute/network:Network",
          name: "vpc",
          inputs: {},
          project: PROJECT,
          region: REGION,
          naming: "random",
        });
        assert.match(String(outputs.name), /^vpc-[0-9a-f]{7}$/);
        names.add(outputs.name);
      }
      assert.ok(names.size > 1);
    });

    it("does not name types whose name the cloud assigns or the user must give", async () => {
      const user = await simulate("gcp:sql/user:User", "app", { name: "app", instance: "db" });
      assert.equal(user.outputs.name, "app");
      const member = await simulate("gcp:projects/iAMMember:IAMMember", "m", {
        role: "roles/viewer",
        member: "user:a@b.c",
      });
      assert.equal(member.outputs.name, undefined);
    });
  });

  describe("network", () => {
    it("returns the self-link, ID and numeric ID in GCP's formats", async () => {
      const { id, outputs } = await simulate("gcp:compute/network:Network", "vpc", {
        name: "vpc",
        autoCreateSubnetworks: false,
      });
      assert.equal(id, `projects/${PROJECT}/global/networks/vpc`);
      assert.equal(outputs.selfLink, `${COMPUTE}projects/${PROJECT}/global/networks/vpc`);
      assert.match(String(outputs.numericId), /^[1-9]\d{18}$/);
      assert.equal(outputs.autoCreateSubnetworks, false, "an input is never changed");
    });

    it("puts a subnet in its region with the range's first host as gateway", async () => {
      const { id, outputs } = await simulate("gcp:compute/subnetwork:Subnetwork", "web", {
        name: "web",
        network: `projects/${PROJECT}/global/networks/vpc`,
        ipCidrRange: "10.10.0.0/24",
      });
      assert.equal(id, `projects/${PROJECT}/regions/${REGION}/subnetworks/web`);
      assert.equal(outputs.selfLink, `${COMPUTE}projects/${PROJECT}/regions/${REGION}/subnetworks/web`);
      assert.equal(outputs.gatewayAddress, "10.10.0.1");
      assert.equal(outputs.region, REGION);
    });

    it("reserves a private-services range that honours the prefix length and avoids the subnets", async () => {
      await simulate("gcp:compute/subnetwork:Subnetwork", "web", {
        network: "vpc",
        ipCidrRange: "10.0.0.0/8",
      });
      cloud = new SimulatedCloud();
      await simulate("gcp:compute/subnetwork:Subnetwork", "web", {
        network: "vpc",
        ipCidrRange: "10.10.0.0/24",
      });
      const { outputs } = await simulate("gcp:compute/globalAddress:GlobalAddress", "psa", {
        network: "vpc",
        purpose: "VPC_PEERING",
        addressType: "INTERNAL",
        prefixLength: 20,
      });
      const range = parseCidr(`${String(outputs.address)}/20`)!;
      assert.match(String(outputs.address), /^10\.\d+\.\d+\.0$/);
      assert.equal(`${String(outputs.address)}`, `${String(outputs.address)}`);
      assert.equal((range.base & 0xfff) >>> 0, 0, "the range starts on a /20 boundary");
      assert.ok(
        !inRange(`${String(outputs.address)}/20`, "10.10.0.1"),
        "the range does not overlap the subnet",
      );
      assert.equal(outputs.prefixLength, 20);
      assert.equal(outputs.addressType, "INTERNAL");
    });

    it("gives an external global address a public IPv4", async () => {
      const { outputs } = await simulate("gcp:compute/globalAddress:GlobalAddress", "lb", {});
      assert.match(String(outputs.address), /^3[45]\.\d+\.\d+\.\d+$/);
      assert.equal(outputs.addressType, "EXTERNAL");
      assert.equal(
        outputs.selfLink,
        `${COMPUTE}projects/${PROJECT}/global/addresses/${String(outputs.name)}`,
      );
    });

    it("peers service networking under the google provider's ID", async () => {
      const { id, outputs } = await simulate("gcp:servicenetworking/connection:Connection", "psa", {
        network: `${COMPUTE}projects/${PROJECT}/global/networks/vpc`,
        service: "servicenetworking.googleapis.com",
        reservedPeeringRanges: ["psa"],
      });
      assert.equal(id, `projects%2F${PROJECT}%2Fglobal%2Fnetworks%2Fvpc:servicenetworking.googleapis.com`);
      assert.equal(outputs.peering, "servicenetworking-googleapis-com");
    });

    it("names a router NAT after its router", async () => {
      const { id } = await simulate("gcp:compute/routerNat:RouterNat", "nat", {
        name: "nat",
        router: "rtr",
        region: "europe-west1",
      });
      assert.equal(id, `projects/${PROJECT}/regions/europe-west1/routers/rtr/nat`);
    });
  });

  describe("managed instance groups", () => {
    it("returns the regional self-link, ID, numeric ID, instance group and stable status", async () => {
      const { id, outputs } = await simulate(
        "gcp:compute/regionInstanceGroupManager:RegionInstanceGroupManager",
        "web",
        { name: "web", baseInstanceName: "web", targetSize: 3 },
      );
      assert.equal(id, `projects/${PROJECT}/regions/${REGION}/instanceGroupManagers/web`);
      assert.equal(outputs.selfLink, `${COMPUTE}${id}`);
      assert.equal(
        outputs.instanceGroup,
        `${COMPUTE}projects/${PROJECT}/regions/${REGION}/instanceGroups/web`,
      );
      assert.match(String(outputs.instanceGroupManagerId), /^[1-9]\d{14}$/);
      assert.equal((outputs.statuses as Record<string, unknown>[])[0].isStable, true);
      assert.deepEqual(outputs.distributionPolicyZones, ["us-central1-a", "us-central1-b", "us-central1-c"]);
      assert.equal(outputs.targetSize, 3, "an input is never changed");
    });
  });

  describe("Cloud SQL private addresses", () => {
    const NETWORK = `projects/${PROJECT}/global/networks/vpc`;

    /** A private-services range of `network` at `address`/`prefixLength`, as the program reserves one. */
    function peeringRange(address: string, prefixLength: number, network = NETWORK) {
      return simulate("gcp:compute/globalAddress:GlobalAddress", "psa", {
        network,
        purpose: "VPC_PEERING",
        address,
        prefixLength,
      });
    }

    async function privateIp(name: string, privateNetwork = NETWORK) {
      const { outputs } = await simulate("gcp:sql/databaseInstance:DatabaseInstance", name, {
        name,
        settings: { ipConfiguration: { ipv4Enabled: false, privateNetwork } },
      });
      const settings = outputs.settings as Record<string, Record<string, unknown>>;
      assert.equal(settings.ipConfiguration.privateNetwork, privateNetwork, "the network stays as given");
      return String(outputs.privateIpAddress);
    }

    it("allocates from the network's peering range, from .3 up, stable per instance", async () => {
      await peeringRange("10.50.0.0", 24);
      const ips: string[] = [];
      for (const name of ["db-0", "db-1", "db-2", "db-0"]) {
        ips.push(await privateIp(name));
      }
      assert.deepEqual(ips, ["10.50.0.3", "10.50.0.4", "10.50.0.5", "10.50.0.3"]);
    });

    it("finds the range by the network's self-link, path or bare name", async () => {
      await peeringRange("192.168.5.0", 24, "vpc");
      for (const network of [`${COMPUTE}${NETWORK}`, NETWORK, "vpc"]) {
        const ip = await privateIp(`db-${network.length}`, network);
        assert.ok(inRange("192.168.5.0/24", ip), ip);
      }
    });

    it("gives 300 instances of a /20 distinct addresses in range", async () => {
      await peeringRange("10.20.0.0", 20);
      const seen = new Set<string>();
      for (let i = 0; i < 300; i++) {
        const ip = await privateIp(`db-${i}`);
        assert.ok(inRange("10.20.0.0/20", ip), ip);
        seen.add(ip);
      }
      assert.equal(seen.size, 300);
    });

    it("falls back to 10.91.0.0/24 when the network has no peering range it saw", async () => {
      const ip = await privateIp("lonely", "projects/other/global/networks/nope");
      assert.ok(inRange("10.91.0.0/24", ip), ip);
    });
  });

  describe("load balancer", () => {
    it("lists the features of the MODERN and RESTRICTED SSL profiles", async () => {
      const modern = await simulate("gcp:compute/sSLPolicy:SSLPolicy", "tls", {
        profile: "MODERN",
        minTlsVersion: "TLS_1_2",
      });
      const restricted = await simulate("gcp:compute/sSLPolicy:SSLPolicy", "tls2", { profile: "RESTRICTED" });
      const modernFeatures = modern.outputs.enabledFeatures as string[];
      assert.equal(modern.outputs.minTlsVersion, "TLS_1_2");
      assert.ok(modernFeatures.includes("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"));
      assert.ok(!modernFeatures.some((f) => f.startsWith("TLS_RSA_")), "MODERN has no RSA key exchange");
      assert.ok((restricted.outputs.enabledFeatures as string[]).every((f) => /GCM|CHACHA20/.test(f)));
      assert.match(String(modern.outputs.fingerprint), /^[A-Za-z0-9+/]{11}=$/);
    });

    it("enables exactly a CUSTOM profile's own features, sorted", async () => {
      const features = [
        "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
        "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
      ];
      const custom = await simulate("gcp:compute/sSLPolicy:SSLPolicy", "custom", {
        profile: "CUSTOM",
        customFeatures: features,
      });
      assert.deepEqual(custom.outputs.enabledFeatures, [...features].sort());
      assert.deepEqual(custom.outputs.customFeatures, features);
    });

    it("numbers backend services, URL maps and proxies", async () => {
      const backend = await simulate("gcp:compute/backendService:BackendService", "web", {
        protocol: "HTTPS",
      });
      const map = await simulate("gcp:compute/uRLMap:URLMap", "web", {});
      const proxy = await simulate("gcp:compute/targetHttpProxy:TargetHttpProxy", "web", { urlMap: "m" });
      assert.ok(Number.isSafeInteger(backend.outputs.generatedId));
      assert.equal(backend.outputs.protocol, "HTTPS");
      assert.ok(Number.isSafeInteger(map.outputs.mapId));
      assert.ok(Number.isSafeInteger(proxy.outputs.proxyId));
      assert.equal(proxy.id, `projects/${PROJECT}/global/targetHttpProxies/${String(proxy.outputs.name)}`);
    });

    it("covers a managed certificate's domains and expires it in 90 days", async () => {
      const { outputs } = await simulate("gcp:compute/managedSslCertificate:ManagedSslCertificate", "cert", {
        managed: { domains: ["www.foobar.com"] },
      });
      assert.deepEqual(outputs.subjectAlternativeNames, ["www.foobar.com"]);
      assert.equal(outputs.expireTime, "2025-04-01T00:00:00.000-08:00");
      assert.equal(outputs.type, "MANAGED");
    });

    it("takes an uploaded certificate's expiry from the certificate and keeps the key as given", async () => {
      const key = await simulate("tls:index/privateKey:PrivateKey", "k", {
        algorithm: "ECDSA",
        ecdsaCurve: "P256",
      });
      const cert = await simulate("tls:index/selfSignedCert:SelfSignedCert", "c", {
        privateKeyPem: key.outputs.privateKeyPem,
        subject: { commonName: "dev.foobar.com" },
        validityPeriodHours: 48,
        allowedUses: ["server_auth"],
      });
      const { outputs } = await simulate("gcp:compute/sSLCertificate:SSLCertificate", "site", {
        certificate: cert.outputs.certPem,
        privateKey: key.outputs.privateKeyPem,
      });
      const validTo = new Date(new X509Certificate(String(cert.outputs.certPem)).validTo);
      assert.equal(Date.parse(String(outputs.expireTime)), validTo.getTime());
      assert.equal(outputs.privateKey, key.outputs.privateKeyPem);
    });

    it("uses the address input of a forwarding rule, else a public IPv4", async () => {
      const given = await simulate("gcp:compute/globalForwardingRule:GlobalForwardingRule", "https", {
        ipAddress: "34.1.2.3",
        portRange: "443",
      });
      const made = await simulate("gcp:compute/globalForwardingRule:GlobalForwardingRule", "http", {
        portRange: "80",
      });
      assert.equal(given.outputs.ipAddress, "34.1.2.3");
      assert.match(String(made.outputs.ipAddress), /^3[45]\.\d+\.\d+\.\d+$/);
    });
  });

  describe("Cloud SQL", () => {
    it("autonames the instance, builds its connection name and self-link, and gives it a private IP in the peering range", async () => {
      const network = `projects/${PROJECT}/global/networks/vpc`;
      const range = await simulate("gcp:compute/globalAddress:GlobalAddress", "psa", {
        network,
        purpose: "VPC_PEERING",
        prefixLength: 16,
      });
      const { id, outputs } = await simulate("gcp:sql/databaseInstance:DatabaseInstance", "db", {
        databaseVersion: "MYSQL_8_0",
        settings: {
          tier: "db-custom-2-7680",
          availabilityType: "REGIONAL",
          locationPreference: { zone: "us-central1-c" },
          ipConfiguration: { ipv4Enabled: false, privateNetwork: network },
        },
      });
      const name = String(outputs.name);
      assert.match(name, /^db-[0-9a-f]{7}$/);
      assert.equal(id, name);
      assert.equal(outputs.connectionName, `${PROJECT}:${REGION}:${name}`);
      assert.equal(
        outputs.selfLink,
        `https://sqladmin.googleapis.com/sql/v1beta4/projects/${PROJECT}/instances/${name}`,
      );
      const privateIp = String(outputs.privateIpAddress);
      assert.ok(inRange(`${String(range.outputs.address)}/16`, privateIp), privateIp);
      assert.deepEqual(outputs.ipAddresses, [{ type: "PRIVATE", ipAddress: privateIp, timeToRetire: "" }]);
      assert.equal(outputs.publicIpAddress, "");
      assert.equal(outputs.firstIpAddress, privateIp);
      const settings = outputs.settings as Record<string, Record<string, unknown>>;
      assert.equal(settings.locationPreference.zone, "us-central1-c");
      assert.match(String(settings.locationPreference.secondaryZone), /^us-central1-[abf]$/);
      assert.equal(settings.tier as unknown, "db-custom-2-7680");
      assert.match(
        String(outputs.serviceAccountEmailAddress),
        /^p\d{12}-[0-9a-f]{6}@gcp-sa-cloud-sql\.iam\.gserviceaccount\.com$/,
      );
      const ca = (outputs.serverCaCerts as Record<string, string>[])[0];
      assert.ok(new X509Certificate(ca.cert).subject.includes("Google Cloud SQL Server CA"));
    });

    it("marks a replica and gives it a public address when IPv4 is on", async () => {
      const { outputs } = await simulate("gcp:sql/databaseInstance:DatabaseInstance", "replica", {
        name: "replica-1",
        masterInstanceName: "db",
        settings: { tier: "db-custom-1-3840" },
      });
      assert.equal(outputs.instanceType, "READ_REPLICA_INSTANCE");
      assert.match(String(outputs.publicIpAddress), /^3[45]\./);
      assert.equal((outputs.ipAddresses as Record<string, string>[])[0].type, "PRIMARY");
    });

    it("identifies databases and users as the google provider does", async () => {
      const database = await simulate("gcp:sql/database:Database", "app", { name: "app", instance: "db-1" });
      const user = await simulate("gcp:sql/user:User", "app", {
        name: "app",
        instance: "db-1",
        password: "x",
      });
      assert.equal(database.id, `projects/${PROJECT}/instances/db-1/databases/app`);
      assert.equal(user.id, "app//db-1");
      assert.equal(user.outputs.password, "x");
    });
  });

  describe("IAM and monitoring", () => {
    it("derives a service account's email, name and member from its account ID", async () => {
      const { id, outputs } = await simulate("gcp:serviceaccount/account:Account", "web", {
        accountId: "web-vm",
      });
      const email = `web-vm@${PROJECT}.iam.gserviceaccount.com`;
      assert.equal(outputs.email, email);
      assert.equal(outputs.member, `serviceAccount:${email}`);
      assert.equal(id, `projects/${PROJECT}/serviceAccounts/${email}`);
      assert.match(String(outputs.uniqueId), /^\d{21}$/);
    });

    it("identifies a project IAM member by project, role and lowercased member", async () => {
      const { id, outputs } = await simulate("gcp:projects/iAMMember:IAMMember", "logs", {
        role: "roles/logging.logWriter",
        member: "serviceAccount:Web@p.iam.gserviceaccount.com",
      });
      assert.equal(id, `${PROJECT}/roles/logging.logWriter/serviceaccount:web@p.iam.gserviceaccount.com`);
      assert.match(String(outputs.etag), /^BwY[A-Za-z0-9+/]{8}=$/);
    });

    it("names monitoring resources as Cloud Monitoring does", async () => {
      const channel = await simulate("gcp:monitoring/notificationChannel:NotificationChannel", "ops", {
        type: "email",
      });
      const policy = await simulate("gcp:monitoring/alertPolicy:AlertPolicy", "qps", {
        displayName: "QPS",
        combiner: "OR",
        conditions: [{ displayName: "high" }],
      });
      const uptime = await simulate("gcp:monitoring/uptimeCheckConfig:UptimeCheckConfig", "site", {
        displayName: "dev.foobar.com uptime",
      });
      const dashboard = await simulate("gcp:monitoring/dashboard:Dashboard", "main", { dashboardJson: "{}" });
      assert.match(
        String(channel.outputs.name),
        new RegExp(`^projects/${PROJECT}/notificationChannels/\\d{19}$`),
      );
      assert.match(String(policy.outputs.name), new RegExp(`^projects/${PROJECT}/alertPolicies/\\d{19}$`));
      const condition = (policy.outputs.conditions as Record<string, unknown>[])[0];
      assert.equal(condition.displayName, "high");
      assert.match(String(condition.name), /\/conditions\/\d{19}$/);
      assert.match(String(uptime.outputs.uptimeCheckId), /^dev-foobar-com-uptime-[0-9a-f]{11}$/);
      assert.equal(
        uptime.outputs.name,
        `projects/${PROJECT}/uptimeCheckConfigs/${String(uptime.outputs.uptimeCheckId)}`,
      );
      assert.match(
        dashboard.id,
        /^projects\/\d{12}\/dashboards\/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      );
      assert.equal(dashboard.outputs.dashboardJson, "{}");
    });

    it("gives a custom service an ID and its SLOs names under it, with the project's number", async () => {
      const service = await simulate("gcp:monitoring/customService:CustomService", "site", {
        displayName: "site",
      });
      const serviceId = String(service.outputs.serviceId);
      assert.match(serviceId, /^[A-Za-z0-9_-]{22}$/);
      assert.match(String(service.outputs.name), new RegExp(`^projects/\\d{12}/services/${serviceId}$`));
      const slo = await simulate("gcp:monitoring/slo:Slo", "availability", {
        service: serviceId,
        sloId: "availability",
        goal: 0.999,
        rollingPeriodDays: 28,
        requestBasedSli: { goodTotalRatio: { badServiceFilter: "bad", totalServiceFilter: "total" } },
      });
      assert.equal(slo.outputs.name, `${String(service.outputs.name)}/serviceLevelObjectives/availability`);
      assert.equal(slo.id, slo.outputs.name);
    });

    it("refuses SLOs and alert policies the Monitoring API refuses", async () => {
      const slo = (inputs: Record<string, unknown>) =>
        simulate("gcp:monitoring/slo:Slo", "slo", {
          service: "s",
          goal: 0.99,
          rollingPeriodDays: 28,
          requestBasedSli: { goodTotalRatio: { badServiceFilter: "bad", totalServiceFilter: "total" } },
          ...inputs,
        });
      await assert.rejects(slo({ goal: 1 }), {
        message: "googleapi: Error 400: Field goal is invalid: 1 is not greater than 0 and at most 0.9999.",
      });
      await assert.rejects(slo({ goal: 0.99999 }), /Field goal is invalid/);
      await assert.rejects(slo({ rollingPeriodDays: 31 }), {
        message: "googleapi: Error 400: Field rolling_period is invalid: 31 days is not 1 to 30 days.",
      });
      await assert.rejects(
        slo({
          requestBasedSli: {
            goodTotalRatio: { goodServiceFilter: "g", badServiceFilter: "b", totalServiceFilter: "t" },
          },
        }),
        {
          message:
            "googleapi: Error 400: Field good_total_ratio is invalid: exactly two of the good, bad and total filters must be set, not 3.",
        },
      );
      await assert.rejects(
        slo({ requestBasedSli: { distributionCut: { distributionFilter: "d", range: {} } } }),
        {
          message:
            "googleapi: Error 400: Field distribution_cut.range is invalid: a range needs a min or a max.",
        },
      );
      await slo({
        goal: 0.9999,
        requestBasedSli: { distributionCut: { distributionFilter: "d", range: { max: 500 } } },
      });
      const absence = (duration: string) =>
        simulate("gcp:monitoring/alertPolicy:AlertPolicy", "gone", {
          combiner: "OR",
          conditions: [{ displayName: "gone", conditionAbsent: { filter: "f", duration } }],
        });
      for (const duration of ["60s", "150s", "5m"]) {
        await assert.rejects(absence(duration), {
          message: `googleapi: Error 400: Field condition_absent.duration is invalid: ${duration} is not a whole number of minutes of at least 120s.`,
        });
      }
      await absence("120s");
      await assert.rejects(
        simulate("gcp:monitoring/alertPolicy:AlertPolicy", "promql", {
          conditions: [
            {
              displayName: "q",
              conditionPrometheusQueryLanguage: { query: "up < 1", evaluationInterval: "45s" },
            },
          ],
        }),
        /evaluation_interval is invalid: 45s is not a multiple of 30s/,
      );
    });
  });

  it("gives a second run of the same program in the same process identical outputs", async () => {
    async function program() {
      const network = await simulate("gcp:compute/network:Network", "vpc", { autoCreateSubnetworks: false });
      const subnet = await simulate("gcp:compute/subnetwork:Subnetwork", "web", {
        network: network.id,
        ipCidrRange: "10.0.0.0/24",
      });
      const range = await simulate("gcp:compute/globalAddress:GlobalAddress", "psa", {
        network: network.id,
        purpose: "VPC_PEERING",
        prefixLength: 16,
      });
      const group = await simulate(
        "gcp:compute/regionInstanceGroupManager:RegionInstanceGroupManager",
        "web",
        {
          baseInstanceName: "web",
          targetSize: 2,
        },
      );
      const dbs = [];
      for (const name of ["db", "db-replica"]) {
        dbs.push(
          await simulate("gcp:sql/databaseInstance:DatabaseInstance", name, {
            settings: { ipConfiguration: { ipv4Enabled: false, privateNetwork: network.id } },
          }),
        );
      }
      return [network, subnet, range, group, ...dbs];
    }
    const first = await program();
    const second = await program();
    assert.deepEqual(second, first);
  });

  it("returns the inputs of a type it does not know, with a name-derived ID", async () => {
    const { id, outputs } = await simulate("gcp:storage/bucket:Bucket", "assets", { location: "EU" });
    assert.deepEqual(outputs, { location: "EU" });
    assert.match(id, /^assets-[0-9a-f]{7}$/);
  });

  it("refuses every provider function, naming the one called", () => {
    assert.throws(() => refuseInvoke("gcp:compute/getZones:getZones"), {
      message:
        "The simulated cloud answers no provider function (invoke), and the program calls none: gcp:compute/getZones:getZones was called. Give the simulator an answer for it in tools/sim/ before the program relies on it.",
    });
  });
});

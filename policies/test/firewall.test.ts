import * as assert from "assert";
import { disallowDefaultNetwork } from "../firewall/disallow-default-network";
import { firewallDisallowPublicIngress as publicIngress } from "../firewall/firewall-disallow-public-ingress";
import { firewallDisallowWidePortRanges as widePorts } from "../firewall/firewall-disallow-wide-port-ranges";
import { firewallDisallowWorldIngressToSensitivePorts as worldIngress } from "../firewall/firewall-disallow-world-ingress-to-sensitive-ports";
import { vmCoveredByTierFirewallRules as tierCoverage } from "../firewall/vm-covered-by-tier-firewall-rules";
import { T } from "../lib/types";
import { UNKNOWN } from "../lib/unknowns";
import {
  cantRun,
  compliantProps,
  compliantTemplate,
  copy,
  Props,
  run,
  runOn,
  Settings,
  stackWith,
  violation,
} from "./util";

const subject = { name: "subject", type: T.firewall };

describe("firewall: gcp-firewall-disallow-world-ingress-to-sensitive-ports", () => {
  const ssh = compliantProps("fw-web-ssh");
  const check = (props: Props, config?: Settings) =>
    runOn(worldIngress, T.firewall, props, { settings: config });
  const expectOne = (props: Props, exposure: string, source = "0.0.0.0/0") =>
    assert.deepStrictEqual(check(props), [
      violation(
        worldIngress,
        subject,
        `Firewall rule "subject" lets anyone on the internet (${source}) reach ${exposure}; ` +
          "allow only the source ranges that need it (for example 35.235.240.0/20 for SSH through IAP) or remove the rule.",
      ),
    ]);

  it("passes every firewall rule of the compliant stack", () => {
    for (const name of ["fw-web-https", "fw-web-ssh", "fw-db-mysql", "fw-deny-all"]) {
      assert.deepStrictEqual(check(compliantProps(name)), [], name);
    }
  });

  it("reports SSH open to 0.0.0.0/0", () => {
    expectOne({ ...copy(ssh), sourceRanges: ["0.0.0.0/0"] }, "tcp port 22 (SSH)");
  });

  it("reports SSH open to ::/0", () => {
    expectOne({ ...copy(ssh), sourceRanges: ["::/0"] }, "tcp port 22 (SSH)", "::/0");
  });

  it("counts any public range as the internet, however it is split", () => {
    expectOne(
      { ...copy(ssh), sourceRanges: ["0.0.0.0/1", "128.0.0.0/1"] },
      "tcp port 22 (SSH)",
      "0.0.0.0/1 and 128.0.0.0/1",
    );
    expectOne(
      { ...copy(ssh), sourceRanges: ["10.0.0.0/8", "203.0.113.7"] },
      "tcp port 22 (SSH)",
      "203.0.113.7",
    );
    // 172.32.0.0/16 lies just outside the private 172.16.0.0/12.
    expectOne({ ...copy(ssh), sourceRanges: ["172.32.0.0/16"] }, "tcp port 22 (SSH)", "172.32.0.0/16");
    expectOne({ ...copy(ssh), sourceRanges: ["2000::/3"] }, "tcp port 22 (SSH)", "2000::/3");
  });

  it("leaves alone private, shared and link-local sources, and IAP's range", () => {
    for (const range of [
      "10.0.0.0/8",
      "172.16.0.0/12",
      "192.168.10.0/24",
      "100.64.0.0/10",
      "fd00::/8",
      "35.235.240.0/20",
      "35.235.241.0/24",
    ]) {
      assert.deepStrictEqual(check({ ...copy(ssh), sourceRanges: [range] }), [], range);
    }
  });

  it("trusts the public ranges the policy config names", () => {
    const props = { ...copy(ssh), sourceRanges: ["198.51.100.10/32"] };
    assert.strictEqual(check(props).length, 1);
    const config = { [worldIngress.name]: { trustedSourceRanges: ["198.51.100.0/24"] } };
    assert.deepStrictEqual(check(props, config), []);
  });

  it("reports a rule with no source at all, which GCP treats as 0.0.0.0/0", () => {
    const props = copy(ssh);
    delete props.sourceRanges;
    expectOne(
      props,
      "tcp port 22 (SSH)",
      "no source ranges, tags or service accounts, which means 0.0.0.0/0",
    );
  });

  it("reports a port range that includes a sensitive port", () => {
    expectOne(
      { ...copy(ssh), sourceRanges: ["0.0.0.0/0"], allows: [{ protocol: "tcp", ports: ["20-25"] }] },
      "tcp ports 20-25, which include 22 (SSH)",
    );
  });

  it('reports protocol "all"', () => {
    expectOne(
      { ...copy(ssh), sourceRanges: ["0.0.0.0/0"], allows: [{ protocol: "all" }] },
      'every port of every protocol (protocol "all")',
    );
  });

  it("reports a rule with no ports, which opens every port", () => {
    expectOne(
      { ...copy(ssh), sourceRanges: ["0.0.0.0/0"], allows: [{ protocol: "tcp" }] },
      "every tcp port (no ports listed)",
    );
  });

  it("reports RDP and database ports, and protocol numbers", () => {
    expectOne(
      { ...copy(ssh), sourceRanges: ["0.0.0.0/0"], allows: [{ protocol: "6", ports: ["3389", "3306"] }] },
      "tcp port 3389 (RDP) and tcp port 3306 (MySQL)",
    );
  });

  it("reports sensitive UDP and SCTP ports", () => {
    expectOne(
      { ...copy(ssh), sourceRanges: ["0.0.0.0/0"], allows: [{ protocol: "udp", ports: ["3389"] }] },
      "udp port 3389 (RDP)",
    );
    expectOne(
      { ...copy(ssh), sourceRanges: ["0.0.0.0/0"], allows: [{ protocol: "132", ports: ["3300-3310"] }] },
      "sctp ports 3300-3310, which include 3306 (MySQL)",
    );
  });

  it("leaves alone UDP ports that are not sensitive (DNS, QUIC)", () => {
    assert.deepStrictEqual(
      check({
        ...copy(ssh),
        sourceRanges: ["0.0.0.0/0"],
        allows: [{ protocol: "udp", ports: ["53", "443"] }],
      }),
      [],
    );
  });

  it("takes the sensitive ports from the policy config", () => {
    const props = {
      ...copy(ssh),
      sourceRanges: ["0.0.0.0/0"],
      allows: [{ protocol: "tcp", ports: ["8080"] }],
    };
    assert.deepStrictEqual(check(props), []);
    assert.strictEqual(check(props, { [worldIngress.name]: { sensitivePorts: [8080] } }).length, 1);
  });

  it("leaves alone egress rules, disabled rules and HTTPS open to the world", () => {
    const open = { ...copy(ssh), sourceRanges: ["0.0.0.0/0"] };
    assert.deepStrictEqual(check({ ...open, direction: "EGRESS" }), []);
    assert.deepStrictEqual(check({ ...open, disabled: true }), []);
    assert.deepStrictEqual(check({ ...open, allows: [{ protocol: "tcp", ports: ["443"] }] }), []);
  });

  it("says it can't run during preview on sources, allows or ports not known yet", () => {
    const cant = (path: string) => [cantRun(worldIngress, { name: "subject", type: T.firewall }, path)];
    assert.deepStrictEqual(check({ ...copy(ssh), sourceRanges: UNKNOWN }), cant("sourceRanges"));
    assert.deepStrictEqual(
      check({ ...copy(ssh), sourceRanges: ["0.0.0.0/0"], allows: UNKNOWN }),
      cant("allows"),
    );
    assert.deepStrictEqual(
      check({ ...copy(ssh), sourceRanges: ["0.0.0.0/0"], allows: [{ protocol: "tcp", ports: UNKNOWN }] }),
      cant("allows.0.ports"),
    );
  });
});

describe("firewall: gcp-vm-covered-by-tier-firewall-rules", () => {
  const vm = (name: string) => ({ name, type: T.instance });

  it("passes the compliant stack", () => {
    assert.deepStrictEqual(
      run(
        tierCoverage,
        stackWith(() => {}),
      ),
      [],
    );
  });

  it("reports a VM without a tier label", () => {
    const stack = stackWith((r) => (r("web-0").props.labels = {}));
    assert.deepStrictEqual(run(tierCoverage, stack), [
      violation(
        tierCoverage,
        vm("web-0"),
        'VM "web-0" has no "tier" label, so no firewall allow-list can be tied to it; ' +
          'label it with its tier (for example tier: "web") and add the same network tag.',
      ),
    ]);
  });

  it("reports a VM without its tier's network tag", () => {
    const stack = stackWith((r) => (r("web-1").props.tags = []));
    assert.deepStrictEqual(run(tierCoverage, stack), [
      violation(
        tierCoverage,
        vm("web-1"),
        'VM "web-1" is in tier "web" but does not carry the network tag "web", ' +
          'so its tier\'s firewall rules do not apply to it; add "web" to its tags.',
      ),
    ]);
  });

  const uncovered = (name: string) =>
    violation(
      tierCoverage,
      vm(name),
      `No ingress allow rule on the network of VM "${name}" targets its tier "web"; ` +
        'add a firewall rule with targetTags ["web"] that allows only the traffic this tier serves.',
    );

  it("reports VMs whose tier no allow rule targets", () => {
    const stack = stackWith((r) => {
      r("fw-web-https").props.targetTags = ["api"];
      r("fw-web-ssh").props.targetTags = ["api"];
    });
    assert.deepStrictEqual(run(tierCoverage, stack), [
      uncovered("web-0"),
      uncovered("web-1"),
      uncovered("web-2"),
    ]);
  });

  it("reports VMs whose tier's rules are on another network", () => {
    const stack = stackWith((r, all) => {
      const other = "https://www.googleapis.com/compute/v1/projects/foobar-prod/global/networks/other-vpc";
      all.push({ type: T.network, name: "other-vpc", props: { name: "other-vpc", selfLink: other } });
      r("fw-web-https").props.network = other;
      r("fw-web-ssh").props.network = other;
    });
    assert.deepStrictEqual(run(tierCoverage, stack), [
      uncovered("web-0"),
      uncovered("web-1"),
      uncovered("web-2"),
    ]);
  });

  it("covers instance templates too", () => {
    const stack = stackWith((_, all) =>
      all.push({
        type: T.instanceTemplate,
        name: "web-template",
        props: { ...compliantTemplate(), tags: [] },
      }),
    );
    assert.deepStrictEqual(run(tierCoverage, stack), [
      violation(
        tierCoverage,
        { name: "web-template", type: T.instanceTemplate },
        'Instance template "web-template" is in tier "web" but does not carry the network tag "web", ' +
          'so its tier\'s firewall rules do not apply to it; add "web" to its tags.',
      ),
    ]);
  });

  it("reads the tier label's name from the policy config", () => {
    const stack = stackWith(() => {});
    assert.strictEqual(run(tierCoverage, stack, { [tierCoverage.name]: { tierLabel: "role" } }).length, 3);
  });

  it("reports nothing it cannot know during preview", () => {
    const stack = stackWith((r) => {
      r("web-0").props.labels = UNKNOWN;
      r("web-1").props.tags = UNKNOWN;
      r("fw-web-https").props.network = UNKNOWN;
      r("fw-web-ssh").props.network = UNKNOWN;
    });
    assert.deepStrictEqual(run(tierCoverage, stack), []);
  });
});

describe("firewall: gcp-disallow-default-network", () => {
  const firewall = compliantProps("fw-web-https");
  const vmProps = compliantProps("web-0");
  const vmMessage = (kind: string) =>
    `${kind} "subject" is attached to the default network; ` +
    "give every network interface a subnetwork of the stack's own custom-mode VPC instead.";

  it("passes the compliant firewall rules, VMs and templates", () => {
    assert.deepStrictEqual(runOn(disallowDefaultNetwork, T.firewall, firewall), []);
    assert.deepStrictEqual(runOn(disallowDefaultNetwork, T.instance, vmProps), []);
    assert.deepStrictEqual(runOn(disallowDefaultNetwork, T.instanceTemplate, compliantTemplate()), []);
  });

  it("reports a firewall rule on the default network, by name or self-link", () => {
    const expected = [
      violation(
        disallowDefaultNetwork,
        { name: "subject", type: T.firewall },
        'Firewall rule "subject" is on the default network; put it on the stack\'s own VPC network instead.',
      ),
    ];
    assert.deepStrictEqual(
      runOn(disallowDefaultNetwork, T.firewall, { ...copy(firewall), network: "default" }),
      expected,
    );
    assert.deepStrictEqual(
      runOn(disallowDefaultNetwork, T.firewall, {
        ...copy(firewall),
        network: "https://www.googleapis.com/compute/v1/projects/p/global/networks/default",
      }),
      expected,
    );
  });

  it("reports a VM on the default network", () => {
    const props = {
      ...copy(vmProps),
      networkInterfaces: [{ network: "projects/p/global/networks/default" }],
    };
    assert.deepStrictEqual(runOn(disallowDefaultNetwork, T.instance, props), [
      violation(disallowDefaultNetwork, { name: "subject", type: T.instance }, vmMessage("VM")),
    ]);
  });

  it("reports a VM on a subnet of the default network", () => {
    const props = {
      ...copy(vmProps),
      networkInterfaces: [{ subnetwork: "projects/p/regions/r/subnetworks/default" }],
    };
    assert.deepStrictEqual(runOn(disallowDefaultNetwork, T.instance, props), [
      violation(disallowDefaultNetwork, { name: "subject", type: T.instance }, vmMessage("VM")),
    ]);
  });

  it("reports a VM interface with neither network nor subnetwork, which means the default network", () => {
    const props = { ...copy(vmProps), networkInterfaces: [{}] };
    assert.deepStrictEqual(runOn(disallowDefaultNetwork, T.instance, props), [
      violation(disallowDefaultNetwork, { name: "subject", type: T.instance }, vmMessage("VM")),
    ]);
  });

  it("reports an instance template on the default network", () => {
    const props = { ...compliantTemplate(), networkInterfaces: [{ network: "default" }] };
    assert.deepStrictEqual(runOn(disallowDefaultNetwork, T.instanceTemplate, props), [
      violation(
        disallowDefaultNetwork,
        { name: "subject", type: T.instanceTemplate },
        vmMessage("Instance template"),
      ),
    ]);
  });

  it("reports nothing it cannot know during preview", () => {
    assert.deepStrictEqual(
      runOn(disallowDefaultNetwork, T.firewall, { ...copy(firewall), network: UNKNOWN }),
      [],
    );
    assert.deepStrictEqual(
      runOn(disallowDefaultNetwork, T.instance, {
        ...copy(vmProps),
        networkInterfaces: [{ subnetwork: UNKNOWN }],
      }),
      [],
    );
  });
});

describe("firewall: gcp-firewall-disallow-public-ingress", () => {
  const https = compliantProps("fw-web-https");
  const check = (props: Props, config?: Settings) =>
    runOn(publicIngress, T.firewall, props, { settings: config });
  const message = (sources: string, openings: string) =>
    `Firewall rule "subject" admits ${sources} from the internet to ${openings}, around the load balancer and its ` +
    "Cloud Armor policy; admit only Google's front ends (130.211.0.0/22, 35.191.0.0/16) and IAP (35.235.240.0/20), " +
    "or add a range you own to allowedPublicSources.";

  it("passes every firewall rule of the compliant stack: the load balancer's ranges, IAP, internal and egress rules", () => {
    for (const name of ["fw-web-https", "fw-web-ssh", "fw-db-mysql", "fw-deny-all"]) {
      assert.deepStrictEqual(check(compliantProps(name)), [], name);
    }
  });

  it("reports HTTPS to the web tier from the world, around the load balancer", () => {
    assert.deepStrictEqual(check({ ...copy(https), sourceRanges: ["0.0.0.0/0"] }), [
      violation(publicIngress, subject, message("0.0.0.0/0", "tcp:443")),
    ]);
  });

  it("reports any public range on any port, split or not, and names only the public ones", () => {
    const props = {
      ...copy(https),
      sourceRanges: ["130.211.0.0/22", "10.0.0.0/8", "0.0.0.0/1", "128.0.0.0/1"],
      allows: [
        { protocol: "tcp", ports: ["8080", "9000-9100"] },
        { protocol: "udp", ports: ["443"] },
      ],
    };
    assert.deepStrictEqual(check(props), [
      violation(
        publicIngress,
        subject,
        message("0.0.0.0/1 and 128.0.0.0/1", "tcp:8080, tcp:9000-9100, udp:443"),
      ),
    ]);
  });

  it("reports a rule with no source, which is the world", () => {
    const props = copy(https);
    delete props.sourceRanges;
    assert.deepStrictEqual(check(props), [
      violation(publicIngress, subject, message("0.0.0.0/0", "tcp:443")),
    ]);
  });

  it("takes the allowed public ranges from the policy config", () => {
    const props = { ...copy(https), sourceRanges: ["198.51.100.0/24"] };
    assert.strictEqual(check(props).length, 1);
    assert.deepStrictEqual(
      check(props, { [publicIngress.name]: { allowedPublicSources: ["198.51.100.0/23"] } }),
      [],
    );
  });

  it("leaves alone disabled rules and deny rules, and can't run on sources not known yet", () => {
    const world = { ...copy(https), sourceRanges: ["0.0.0.0/0"] };
    const cant = (path: string) => [cantRun(publicIngress, { name: "subject", type: T.firewall }, path)];
    assert.deepStrictEqual(check({ ...world, disabled: true }), []);
    assert.deepStrictEqual(check({ ...world, allows: undefined, denies: [{ protocol: "all" }] }), []);
    assert.deepStrictEqual(check({ ...world, sourceRanges: UNKNOWN }), cant("sourceRanges"));
    assert.deepStrictEqual(
      check({ ...world, sourceRanges: undefined, sourceTags: UNKNOWN }),
      cant("sourceTags"),
    );
  });
});

describe("firewall: gcp-firewall-disallow-wide-port-ranges", () => {
  const https = compliantProps("fw-web-https");
  const check = (props: Props, config?: Settings) =>
    runOn(widePorts, T.firewall, props, { settings: config });
  const message = (openings: string, max = 100) =>
    `Firewall rule "subject" allows ${openings}; list only the ports the servers listen on (ranges of at most ${max} ports).`;
  const withAllows = (allows: Props[]) => ({ ...copy(https), allows });

  it("passes every firewall rule of the compliant stack", () => {
    for (const name of ["fw-web-https", "fw-web-ssh", "fw-db-mysql", "fw-deny-all"]) {
      assert.deepStrictEqual(check(compliantProps(name)), [], name);
    }
  });

  it("reports every protocol, every port of one, and ranges wider than the limit, even from internal sources", () => {
    assert.deepStrictEqual(check({ ...withAllows([{ protocol: "all" }]), sourceRanges: ["10.0.0.0/8"] }), [
      violation(widePorts, subject, message("every port of every protocol")),
    ]);
    assert.deepStrictEqual(check(withAllows([{ protocol: "tcp" }, { protocol: "udp", ports: [] }])), [
      violation(widePorts, subject, message("every tcp port, every udp port")),
    ]);
    assert.deepStrictEqual(check(withAllows([{ protocol: "tcp", ports: ["443", "1-1024", "8000-8099"] }])), [
      violation(widePorts, subject, message("tcp:1-1024")),
    ]);
  });

  it("takes the widest range allowed from the policy config, and ignores ICMP", () => {
    const props = withAllows([{ protocol: "tcp", ports: ["8000-8099"] }, { protocol: "icmp" }]);
    assert.deepStrictEqual(check(props), []);
    assert.deepStrictEqual(check(props, { [widePorts.name]: { maxPortsPerRange: 10 } }), [
      violation(widePorts, subject, message("tcp:8000-8099", 10)),
    ]);
  });
});

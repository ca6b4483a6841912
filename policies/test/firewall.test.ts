import * as assert from "assert";
import { PolicyConfigFile } from "../engine/config";
import { disallowDefaultNetwork } from "../firewall/disallow-default-network";
import { firewallDisallowWorldIngressToSensitivePorts as worldIngress } from "../firewall/firewall-disallow-world-ingress-to-sensitive-ports";
import { vmCoveredByTierFirewallRules as tierCoverage } from "../firewall/vm-covered-by-tier-firewall-rules";
import { T } from "../lib/types";
import { UNKNOWN } from "../lib/values";
import { compliantProps, compliantTemplate, copy, Props, run, runOn, stackWith, violation } from "./util";

const subject = { name: "subject", type: T.firewall };

describe("firewall: gcp-firewall-disallow-world-ingress-to-sensitive-ports", () => {
  const ssh = compliantProps("fw-web-ssh");
  const check = (props: Props, config?: PolicyConfigFile) =>
    runOn(worldIngress, T.firewall, props, { config });
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

  it("reports nothing it cannot know during preview", () => {
    assert.deepStrictEqual(check({ ...copy(ssh), sourceRanges: UNKNOWN }), []);
    assert.deepStrictEqual(check({ ...copy(ssh), sourceRanges: ["0.0.0.0/0"], allows: UNKNOWN }), []);
    assert.deepStrictEqual(
      check({ ...copy(ssh), sourceRanges: ["0.0.0.0/0"], allows: [{ protocol: "tcp", ports: UNKNOWN }] }),
      [],
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

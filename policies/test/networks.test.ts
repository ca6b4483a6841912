import * as assert from "assert";
import { networkRequiresCustomSubnetMode as customMode } from "../firewall/network-requires-custom-subnet-mode";
import { subnetworkRequiresFlowLogs as flowLogs } from "../hardening/subnetwork-requires-flow-logs";
import { subnetworkRequiresPrivateGoogleAccess as googleAccess } from "../hardening/subnetwork-requires-private-google-access";
import { T } from "../lib/types";
import { UNKNOWN } from "../lib/unknowns";
import { cantRun, compliantProps, copy, Props, runOn, violation } from "./util";

describe("firewall: gcp-network-requires-custom-subnet-mode", () => {
  const network = { name: "subject", type: T.network };
  const check = (props: object) => runOn(customMode, T.network, props);

  it("passes the compliant VPC", () => {
    assert.deepStrictEqual(check(compliantProps("net-vpc")), []);
  });

  it("reports an auto-mode network, and one that leaves the mode to the provider's default", () => {
    assert.deepStrictEqual(check({ ...compliantProps("net-vpc"), autoCreateSubnetworks: true }), [
      violation(
        customMode,
        network,
        'VPC network "subject" is an auto-mode network (autoCreateSubnetworks true), with a subnet in every region; ' +
          "set autoCreateSubnetworks to false and create the subnets it needs.",
      ),
    ]);
    const unset = copy(compliantProps("net-vpc"));
    delete unset.autoCreateSubnetworks;
    assert.deepStrictEqual(check(unset), [
      violation(
        customMode,
        network,
        'VPC network "subject" leaves autoCreateSubnetworks unset, which makes an auto-mode network, with a subnet in ' +
          "every region; set autoCreateSubnetworks to false and create the subnets it needs.",
      ),
    ]);
  });

  it("reports nothing it cannot know during preview", () => {
    assert.deepStrictEqual(check({ ...compliantProps("net-vpc"), autoCreateSubnetworks: UNKNOWN }), [
      cantRun(customMode, network, "autoCreateSubnetworks"),
    ]);
  });
});

describe("hardening: gcp-subnetwork-requires-flow-logs and gcp-subnetwork-requires-private-google-access", () => {
  const subnet = { name: "subject", type: T.subnetwork };
  const both = (props: object) => [
    ...runOn(flowLogs, T.subnetwork, props),
    ...runOn(googleAccess, T.subnetwork, props),
  ];

  it("pass the compliant subnet", () => {
    assert.deepStrictEqual(both(compliantProps("net-subnet")), []);
  });

  it("report a subnet without flow logs or Private Google Access", () => {
    const props = copy(compliantProps("net-subnet"));
    delete props.logConfig;
    props.privateIpGoogleAccess = false;
    assert.deepStrictEqual(both(props), [
      violation(
        flowLogs,
        subnet,
        'Subnet "subject" records no VPC flow logs; set logConfig (for example aggregationInterval "INTERVAL_5_SEC", ' +
          'flowSampling 0.5, metadata "INCLUDE_ALL_METADATA").',
      ),
      violation(
        googleAccess,
        subnet,
        'Subnet "subject" has no Private Google Access, so its VMs reach Google\'s APIs only through NAT or a public IP; ' +
          "set privateIpGoogleAccess to true.",
      ),
    ]);
    delete props.privateIpGoogleAccess;
    assert.strictEqual(runOn(googleAccess, T.subnetwork, props).length, 1, "unset means off");
  });

  it("leave alone proxy-only subnets, which carry no VM traffic", () => {
    const props: Props = {
      ...copy(compliantProps("net-subnet")),
      purpose: "REGIONAL_MANAGED_PROXY",
      role: "ACTIVE",
    };
    delete props.logConfig;
    delete props.privateIpGoogleAccess;
    assert.deepStrictEqual(both(props), []);
    assert.strictEqual(both({ ...props, purpose: "PRIVATE" }).length, 2);
  });

  it("can't run during preview on a purpose or setting not known yet", () => {
    const props: Props = {
      ...copy(compliantProps("net-subnet")),
      logConfig: UNKNOWN,
      privateIpGoogleAccess: UNKNOWN,
    };
    const subnet = { name: "subject", type: T.subnetwork };
    assert.deepStrictEqual(both(props), [
      cantRun(flowLogs, subnet, "logConfig"),
      cantRun(googleAccess, subnet, "privateIpGoogleAccess"),
    ]);
    assert.deepStrictEqual(
      both({ ...props, logConfig: undefined, privateIpGoogleAccess: false, purpose: UNKNOWN }),
      [cantRun(flowLogs, subnet, "purpose"), cantRun(googleAccess, subnet, "purpose")],
    );
  });
});

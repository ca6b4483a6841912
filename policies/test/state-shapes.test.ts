/**
 * Shapes the real engine sends that hand-written props rarely have: null for every unset single-item block
 * (the provider writes them into state, and check-policies reads state), lists holding one value not known
 * until the update, and replicas of a primary whose name is not known yet.
 */
import * as assert from "assert";
import { availabilityPolicies } from "../availability";
import { backendServiceRequiresTlsHealthCheck as tlsHealthCheck } from "../backend-tls/backend-service-requires-tls-health-check";
import { cloudSqlPrimaryRequiresAutomaticFailover as failover } from "../database/cloudsql-primary-requires-automatic-failover";
import { disallowDefaultNetwork as defaultNetwork } from "../firewall/disallow-default-network";
import { vmCoveredByTierFirewallRules as tierRules } from "../firewall/vm-covered-by-tier-firewall-rules";
import { cloudSqlDisallowPublicIp as publicIp } from "../hardening/cloudsql-disallow-public-ip";
import { firewallRequiresLogging as logging } from "../hardening/firewall-requires-logging";
import { iamDisallowServiceAccountKeys as keys } from "../hardening/iam-disallow-service-account-keys";
import { subnetworkRequiresFlowLogs as flowLogs } from "../hardening/subnetwork-requires-flow-logs";
import { httpProxyRedirectsToHttpsOnly as redirects } from "../https/http-proxy-redirects-to-https-only";
import { httpsProxyRequiresManagedCertificate as managedCertificate } from "../https/https-proxy-requires-managed-certificate";
import { siteRequiresQpsAlert as qpsAlert } from "../monitoring/site-requires-qps-alert";
import { T } from "../lib/types";
import { UNKNOWN } from "../lib/unknowns";
import { compliantProps, compliantTemplate, Props, run, runOn, stackWith, violation } from "./util";

const autohealing = availabilityPolicies.find((p) => p.name === "gcp-managed-group-requires-autohealing");

describe("state shapes: null for an unset block is no block", () => {
  it("an HTTP health check whose TLS blocks are null is not a TLS one", () => {
    const stack = stackWith((r) => {
      const hc = r("lb-hc").props;
      hc.httpHealthCheck = { port: 80 };
      Object.assign(hc, { httpsHealthCheck: null, http2HealthCheck: null, sslHealthCheck: null });
    });
    assert.deepStrictEqual(
      run(tlsHealthCheck, stack).map((f) => f.resource),
      ["lb-backend"],
    );
  });

  it("a redirect-only URL map with a null default service still only redirects", () => {
    const stack = stackWith((r) =>
      Object.assign(r("lb-redirect").props, { defaultService: null, defaultRouteAction: null }),
    );
    assert.deepStrictEqual(run(redirects, stack), []);
  });

  it("a null certificate map is no certificate map", () => {
    const stack = stackWith((r) => (r("lb-https-proxy").props.certificateMap = null));
    assert.deepStrictEqual(
      run(managedCertificate, stack, { [managedCertificate.name]: { requireManagedCertificate: true } }),
      [],
    );
  });

  it("a null logConfig logs nothing, on a firewall rule or a subnet", () => {
    const rule = { ...compliantProps("fw-web-https"), logConfig: null };
    assert.deepStrictEqual(
      runOn(logging, T.firewall, rule).map((f) => f.policy),
      [logging.name],
    );
    const subnet = { ...compliantProps("net-subnet"), logConfig: null };
    assert.deepStrictEqual(
      runOn(flowLogs, T.subnetwork, subnet).map((f) => f.policy),
      [flowLogs.name],
    );
  });

  it("a service account key with no account says nothing of one", () => {
    assert.deepStrictEqual(runOn(keys, "gcp:serviceaccount/key:Key", { serviceAccountId: null }), [
      violation(
        keys,
        { name: "subject", type: "gcp:serviceaccount/key:Key" },
        'Service account key "subject" is a user-managed key; remove it, and let the workload use its attached service account or Workload Identity Federation.',
      ),
    ]);
  });
});

describe("state shapes: one element not known until the update", () => {
  it("decides on the conditions it can read, beside one it cannot", () => {
    const stack = stackWith((r) => r("mon-qps").props.conditions.unshift(UNKNOWN));
    assert.deepStrictEqual(run(qpsAlert, stack), []);
  });

  it("follows the backends it can read, beside one it cannot", () => {
    assert.ok(autohealing);
    const stack = stackWith((r) => r("lb-backend").props.backends.push(UNKNOWN));
    assert.deepStrictEqual(run(autohealing, stack), []);
    assert.deepStrictEqual(run(tlsHealthCheck, stack), []);
  });
});

describe("state shapes: a replica of a primary not created yet", () => {
  const replica = (): Props => ({ ...compliantProps("db-replica-0"), masterInstanceName: UNKNOWN });
  const subject = { name: "subject", type: T.databaseInstance };

  it("is a replica: the primary's policies leave it alone", () => {
    assert.deepStrictEqual(runOn(failover, T.databaseInstance, replica()), []);
  });

  it("is still checked as a replica", () => {
    const props = replica();
    props.settings.ipConfiguration.ipv4Enabled = true;
    assert.deepStrictEqual(runOn(publicIp, T.databaseInstance, props), [
      violation(
        publicIp,
        subject,
        'Cloud SQL replica "subject" has a public IP address; set settings.ipConfiguration.ipv4Enabled to false and give it a privateNetwork.',
      ),
    ]);
  });
});

describe("state shapes: network interfaces", () => {
  it("an interface with a subnetwork of the default network is on it, whatever its network says", () => {
    const vm = compliantProps("web-0");
    vm.networkInterfaces = [{ network: "vpc", subnetwork: "default" }];
    assert.deepStrictEqual(
      runOn(defaultNetwork, T.instance, vm).map((f) => f.policy),
      [defaultNetwork.name],
    );
  });

  it("a template without network interfaces does not stop the tier policy", () => {
    const template = { ...compliantTemplate(), networkInterfaces: null };
    const stack = stackWith((_, all) =>
      all.push({ type: T.instanceTemplate, name: "bare-template", props: template }),
    );
    // Its network cannot be told, so whether a tier rule covers it is left alone; before, the read threw.
    assert.deepStrictEqual(run(tierRules, stack), []);
  });
});

import { strict as assert } from "assert";
import { simulate } from "../../tools/offline/mockRun";
import { WebTier } from "../../components/web/webTier";
import { TierFirewalls } from "../../components/firewalls/tierFirewalls";
import { HttpsLoadBalancer } from "../../components/loadBalancer/httpsLoadBalancer";
import { evaluatePolicies } from "../../tools/policy-eval/evaluate";
import { packPolicies } from "../../policies/pack";
import { asStackResources } from "../../tools/plan/plan";

const config = { "gcp:project": "foobar-web-test", "gcp:region": "us-central1" };

/** A web tier with a tag and port of its own, and the tiers that take its serving contract. */
async function siteServedBy(tag: string, httpsPort: number) {
  return simulate(
    () => {
      const web = new WebTier("site-web", {
        instanceCount: 3,
        zones: ["us-central1-a", "us-central1-b", "us-central1-c"],
        region: "us-central1",
        machineType: "e2-small",
        subnetwork: "projects/foobar-web-test/regions/us-central1/subnetworks/s",
        domain: "www.foobar.com",
        project: "foobar-web-test",
        tag,
        httpsPort,
        healthPath: "/ready",
      });
      new TierFirewalls("site-fw", {
        network: "projects/foobar-web-test/global/networks/n",
        databaseCidr: "10.20.0.0/20",
        webTag: web.serving.networkTag,
        webPort: web.serving.httpsPort,
      });
      new HttpsLoadBalancer("site-lb", {
        domain: "www.foobar.com",
        certificate: "managed",
        instanceGroups: [web.instanceGroup],
        backends: web.serving,
        edgeSecurity: { mode: "enforce", rateLimitPerMinute: 600 },
      });
      return {};
    },
    { stack: "test", config },
  );
}

describe("the web tier's serving contract", () => {
  it("carries a tag, port and health path of its own to the firewalls, the load balancer and the tier label", async () => {
    const run = await siteServedBy("frontend", 8443);
    const named = (name: string) => run.resources.find((r) => r.name === name)?.props ?? {};
    assert.deepEqual(named("site-fw-web-allow-lb-https").targetTags, ["frontend"]);
    assert.deepEqual(named("site-fw-web-allow-lb-https").allows, [{ protocol: "tcp", ports: ["8443"] }]);
    assert.deepEqual(named("site-fw-web-allow-iap-ssh").targetTags, ["frontend"]);
    assert.deepEqual(named("site-fw-db-allow-web-mysql").targetTags, ["frontend"]);
    assert.deepEqual(named("site-lb-hc").httpsHealthCheck, {
      port: 8443,
      requestPath: "/ready",
      proxyHeader: "NONE",
    });
    assert.equal(named("site-lb-backend").portName, "https");
    assert.deepEqual(named("site-web-template").labels, { tier: "frontend" });
    assert.deepEqual(named("site-web-group").namedPorts, [{ name: "https", port: 8443 }]);

    // The pack's tier-firewall policy ties the tier label to the network tag, so a tag other than "web"
    // must still satisfy it.
    const violations = evaluatePolicies(packPolicies, asStackResources(run.resources)).filter(
      (v) => v.policy === "gcp-vm-covered-by-tier-firewall-rules",
    );
    assert.deepEqual(violations, []);
  });
});

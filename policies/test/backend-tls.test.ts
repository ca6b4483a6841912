import * as assert from "assert";
import { backendServiceRequiresTlsHealthCheck as tlsHealthCheck } from "../backend-tls/backend-service-requires-tls-health-check";
import { backendServiceRequiresTlsToBackends as tlsToBackends } from "../backend-tls/backend-service-requires-tls-to-backends";
import { T } from "../lib/types";
import { UNKNOWN } from "../lib/unknowns";
import { cantRun, compliantProps, copy, remove, run, runOn, stackWith, violation } from "./util";

describe("backend-tls: gcp-backend-service-requires-tls-to-backends", () => {
  const service = compliantProps("lb-backend");
  const subject = { name: "subject", type: T.backendService };
  const message = (shown: string) =>
    `Backend service "subject" has ${shown}, so traffic leaves the load balancer unencrypted; ` +
    'set protocol to "HTTPS" (or "HTTP2") and serve TLS on the backends.';

  it("passes the compliant backend service, and HTTP/2", () => {
    assert.deepStrictEqual(runOn(tlsToBackends, T.backendService, service), []);
    assert.deepStrictEqual(
      runOn(tlsToBackends, T.backendService, { ...copy(service), protocol: "HTTP2" }),
      [],
    );
  });

  it("reports protocol HTTP", () => {
    assert.deepStrictEqual(runOn(tlsToBackends, T.backendService, { ...copy(service), protocol: "HTTP" }), [
      violation(tlsToBackends, subject, message('protocol "HTTP"')),
    ]);
  });

  it("reports an omitted protocol, which means HTTP", () => {
    const props = copy(service);
    delete props.protocol;
    assert.deepStrictEqual(runOn(tlsToBackends, T.backendService, props), [
      violation(tlsToBackends, subject, message("no protocol, which means HTTP")),
    ]);
  });

  it("reports cleartext HTTP/2 (H2C)", () => {
    assert.deepStrictEqual(runOn(tlsToBackends, T.backendService, { ...copy(service), protocol: "H2C" }), [
      violation(tlsToBackends, subject, message('protocol "H2C"')),
    ]);
  });

  it("checks regional backend services of proxy load balancers only", () => {
    const regional = { region: "us-central1", protocol: "HTTP", loadBalancingScheme: "INTERNAL_MANAGED" };
    assert.deepStrictEqual(runOn(tlsToBackends, T.regionBackendService, regional), [
      violation(tlsToBackends, { name: "subject", type: T.regionBackendService }, message('protocol "HTTP"')),
    ]);
    assert.deepStrictEqual(
      runOn(tlsToBackends, T.regionBackendService, {
        region: "us-central1",
        loadBalancingScheme: "INTERNAL",
      }),
      [],
    );
  });

  it("says it can't run during preview when the protocol is not known yet", () => {
    assert.deepStrictEqual(runOn(tlsToBackends, T.backendService, { ...copy(service), protocol: UNKNOWN }), [
      cantRun(tlsToBackends, { name: "subject", type: T.backendService }, "protocol"),
    ]);
  });
});

describe("backend-tls: gcp-backend-service-requires-tls-health-check", () => {
  const backend = { name: "lb-backend", type: T.backendService };

  it("passes the compliant stack", () => {
    assert.deepStrictEqual(
      run(
        tlsHealthCheck,
        stackWith(() => {}),
      ),
      [],
    );
  });

  it("reports a plain HTTP health check", () => {
    const stack = stackWith((r) => {
      const check = r("lb-hc").props;
      delete check.httpsHealthCheck;
      check.httpHealthCheck = { port: 80, requestPath: "/healthz" };
    });
    assert.deepStrictEqual(run(tlsHealthCheck, stack), [
      violation(
        tlsHealthCheck,
        backend,
        'Backend service "lb-backend" uses health check "lb-hc", which probes the servers without TLS; ' +
          "use a health check with an httpsHealthCheck (or http2HealthCheck) block instead.",
      ),
    ]);
  });

  it("reports a legacy HttpHealthCheck", () => {
    const stack = stackWith((r) => {
      r("lb-hc").type = T.httpHealthCheck;
      r("lb-hc").props = { name: "foobar-web-hc", port: 80, selfLink: r("lb-hc").props.selfLink };
    });
    assert.strictEqual(run(tlsHealthCheck, stack).length, 1);
  });

  it("reports a backend service without a health check", () => {
    const stack = stackWith((r, all) => {
      delete r("lb-backend").props.healthChecks;
      remove(all, "lb-hc");
    });
    assert.deepStrictEqual(run(tlsHealthCheck, stack), [
      violation(
        tlsHealthCheck,
        backend,
        'Backend service "lb-backend" has no health check; add an HTTPS health check (httpsHealthCheck) and set it in healthChecks.',
      ),
    ]);
  });

  it("follows the health check through the dependencies when its reference is unknown during preview", () => {
    const tls = stackWith((r) => (r("lb-backend").props.healthChecks = UNKNOWN));
    assert.deepStrictEqual(run(tlsHealthCheck, tls), []);
    const plain = stackWith((r) => {
      r("lb-backend").props.healthChecks = UNKNOWN;
      r("lb-hc").props.tcpHealthCheck = { port: 443 };
      delete r("lb-hc").props.httpsHealthCheck;
    });
    assert.strictEqual(run(tlsHealthCheck, plain).length, 1);
  });

  it("reports nothing it cannot know during preview", () => {
    const stack = stackWith((r) => (r("lb-hc").props.httpsHealthCheck = UNKNOWN));
    assert.deepStrictEqual(run(tlsHealthCheck, stack), []);
  });
});

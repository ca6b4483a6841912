import * as assert from "assert";
import { httpProxyRedirectsToHttpsOnly as redirectOnly } from "../https/http-proxy-redirects-to-https-only";
import { httpsProxyRequiresCertificate as requiresCertificate } from "../https/https-proxy-requires-certificate";
import { httpsProxyRequiresManagedCertificate as requiresManaged } from "../https/https-proxy-requires-managed-certificate";
import { httpsProxyRequiresSslPolicy as requiresSslPolicy } from "../https/https-proxy-requires-ssl-policy";
import { siteServedByHttpsProxy as servedOverHttps } from "../https/site-served-by-https-proxy";
import { sslPolicyRequiresTls12Modern as tlsModern } from "../https/ssl-policy-requires-tls-1-2-modern";
import { T } from "../lib/types";
import { UNKNOWN } from "../lib/unknowns";
import { cantRun, compliantProps, copy, remove, run, runOn, stackWith, violation } from "./util";

const G = "https://www.googleapis.com/compute/v1/projects/foobar-prod";
const httpsProxy = { name: "lb-https-proxy", type: T.targetHttpsProxy };
const prodLike = { [requiresManaged.name]: { requireManagedCertificate: true } };

describe("https: gcp-site-served-by-https-proxy", () => {
  it("passes the compliant stack", () => {
    assert.deepStrictEqual(
      run(
        servedOverHttps,
        stackWith(() => {}),
      ),
      [],
    );
  });

  it("reports a load balancer without any HTTPS proxy", () => {
    const stack = stackWith((_, all) => remove(all, "lb-https-proxy", "lb-https-rule"));
    assert.deepStrictEqual(run(servedOverHttps, stack), [
      violation(
        servedOverHttps,
        null,
        "The stack serves its site through a load balancer without any HTTPS proxy; add a target HTTPS proxy " +
          "with the site's certificate and a forwarding rule on port 443 that points to it.",
      ),
    ]);
  });

  it("reports an HTTPS proxy that no forwarding rule on port 443 reaches", () => {
    const stack = stackWith((r) => (r("lb-https-rule").props.portRange = "8443"));
    assert.deepStrictEqual(run(servedOverHttps, stack), [
      violation(
        servedOverHttps,
        httpsProxy,
        'HTTPS proxy "lb-https-proxy" is reached by no forwarding rule on port 443, so the site is not served over HTTPS; ' +
          'add a global forwarding rule with portRange "443" whose target is this proxy.',
      ),
    ]);
  });

  it("follows a forwarding rule's target through its dependencies when the target is unknown", () => {
    const stack = stackWith((r) => (r("lb-https-rule").props.target = UNKNOWN));
    assert.deepStrictEqual(run(servedOverHttps, stack), []);
  });

  it("does not apply to a stack without a load balancer", () => {
    assert.deepStrictEqual(run(servedOverHttps, [{ type: T.network, name: "vpc", props: {} }]), []);
  });
});

describe("https: gcp-https-proxy-requires-certificate", () => {
  const proxy = compliantProps("lb-https-proxy");

  it("passes the compliant HTTPS proxy, and one with a certificate map", () => {
    assert.deepStrictEqual(runOn(requiresCertificate, T.targetHttpsProxy, proxy), []);
    const mapped = {
      ...copy(proxy),
      sslCertificates: [],
      certificateMap: "//certificatemanager.googleapis.com/x",
    };
    assert.deepStrictEqual(runOn(requiresCertificate, T.targetHttpsProxy, mapped), []);
  });

  it("reports an HTTPS proxy without a certificate", () => {
    const props = copy(proxy);
    delete props.sslCertificates;
    assert.deepStrictEqual(runOn(requiresCertificate, T.targetHttpsProxy, props), [
      violation(
        requiresCertificate,
        { name: "subject", type: T.targetHttpsProxy },
        'HTTPS proxy "subject" has no certificate; set sslCertificates to the site\'s certificate (or use a certificateMap).',
      ),
    ]);
  });

  it("checks regional HTTPS proxies too", () => {
    assert.strictEqual(
      runOn(requiresCertificate, T.regionTargetHttpsProxy, { ...copy(proxy), sslCertificates: [] }).length,
      1,
    );
  });

  it("reports nothing it cannot know during preview", () => {
    assert.deepStrictEqual(
      runOn(requiresCertificate, T.targetHttpsProxy, { ...copy(proxy), sslCertificates: UNKNOWN }),
      [],
    );
  });
});

describe("https: gcp-http-proxy-redirects-to-https-only", () => {
  const httpProxy = { name: "lb-http-proxy", type: T.targetHttpProxy };
  const message =
    'HTTP proxy "lb-http-proxy" serves plain HTTP through URL map "lb-redirect", which does more than redirect to HTTPS; ' +
    "point it at a URL map whose only rule is defaultUrlRedirect { httpsRedirect: true }.";

  it("passes the compliant stack", () => {
    assert.deepStrictEqual(
      run(
        redirectOnly,
        stackWith(() => {}),
      ),
      [],
    );
  });

  it("reports a redirect map that does not switch to HTTPS", () => {
    const stack = stackWith((r) => (r("lb-redirect").props.defaultUrlRedirect.httpsRedirect = false));
    assert.deepStrictEqual(run(redirectOnly, stack), [violation(redirectOnly, httpProxy, message)]);
  });

  it("reports a map that serves the site over HTTP", () => {
    const stack = stackWith((r) => {
      delete r("lb-redirect").props.defaultUrlRedirect;
      r("lb-redirect").props.defaultService = `${G}/global/backendServices/foobar-web-backend`;
    });
    assert.deepStrictEqual(run(redirectOnly, stack), [violation(redirectOnly, httpProxy, message)]);
  });

  it("reports a redirect map that also routes some paths to a backend", () => {
    const stack = stackWith(
      (r) =>
        (r("lb-redirect").props.pathMatchers = [
          { name: "api", defaultService: `${G}/global/backendServices/foobar-web-backend` },
        ]),
    );
    assert.deepStrictEqual(run(redirectOnly, stack), [violation(redirectOnly, httpProxy, message)]);
  });

  it("reports an HTTP proxy pointed at the site's own URL map", () => {
    const stack = stackWith(
      (r) => (r("lb-http-proxy").props.urlMap = `${G}/global/urlMaps/foobar-web-urlmap`),
    );
    assert.deepStrictEqual(run(redirectOnly, stack), [
      violation(
        redirectOnly,
        httpProxy,
        'HTTP proxy "lb-http-proxy" serves plain HTTP through URL map "lb-urlmap", which does more than redirect to HTTPS; ' +
          "point it at a URL map whose only rule is defaultUrlRedirect { httpsRedirect: true }.",
      ),
    ]);
  });

  it("reports nothing it cannot know during preview", () => {
    const stack = stackWith((r) => (r("lb-redirect").props.defaultUrlRedirect = UNKNOWN));
    assert.deepStrictEqual(run(redirectOnly, stack), []);
  });
});

describe("https: gcp-https-proxy-requires-ssl-policy", () => {
  const proxy = compliantProps("lb-https-proxy");
  const message = (kind: string) =>
    `${kind} "subject" has no SSL policy, so it accepts TLS 1.0 and weak ciphers; ` +
    'set sslPolicy to an SSL policy with minTlsVersion "TLS_1_2" and profile "MODERN" or "RESTRICTED".';

  it("passes the compliant HTTPS proxy", () => {
    assert.deepStrictEqual(runOn(requiresSslPolicy, T.targetHttpsProxy, proxy), []);
  });

  it("reports an HTTPS proxy without an SSL policy", () => {
    const props = copy(proxy);
    delete props.sslPolicy;
    assert.deepStrictEqual(runOn(requiresSslPolicy, T.targetHttpsProxy, props), [
      violation(requiresSslPolicy, { name: "subject", type: T.targetHttpsProxy }, message("HTTPS proxy")),
    ]);
  });

  it("reports regional HTTPS proxies and SSL proxies without an SSL policy", () => {
    assert.deepStrictEqual(runOn(requiresSslPolicy, T.regionTargetHttpsProxy, { urlMap: "m" }), [
      violation(
        requiresSslPolicy,
        { name: "subject", type: T.regionTargetHttpsProxy },
        message("HTTPS proxy"),
      ),
    ]);
    assert.deepStrictEqual(runOn(requiresSslPolicy, T.targetSslProxy, { backendService: "b" }), [
      violation(requiresSslPolicy, { name: "subject", type: T.targetSslProxy }, message("SSL proxy")),
    ]);
  });

  it("accepts an SSL policy unknown during preview", () => {
    assert.deepStrictEqual(
      runOn(requiresSslPolicy, T.targetHttpsProxy, { ...copy(proxy), sslPolicy: UNKNOWN }),
      [],
    );
  });
});

describe("https: gcp-ssl-policy-requires-tls-1-2-modern", () => {
  const policy = compliantProps("lb-ssl-policy");
  const subject = { name: "subject", type: T.sslPolicy };
  const check = (props: object) => runOn(tlsModern, T.sslPolicy, props);

  it("passes the compliant SSL policy (RESTRICTED), MODERN, TLS 1.3 and a strong CUSTOM profile", () => {
    assert.deepStrictEqual(check(policy), []);
    assert.deepStrictEqual(check({ ...copy(policy), profile: "MODERN" }), []);
    assert.deepStrictEqual(check({ ...copy(policy), minTlsVersion: "TLS_1_3" }), []);
    assert.deepStrictEqual(
      check({
        ...copy(policy),
        profile: "CUSTOM",
        customFeatures: ["TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"],
      }),
      [],
    );
  });

  it("reports an old minimum TLS version", () => {
    assert.deepStrictEqual(check({ ...copy(policy), minTlsVersion: "TLS_1_0" }), [
      violation(
        tlsModern,
        subject,
        'SSL policy "subject" lets clients use TLS older than 1.2 (minTlsVersion "TLS_1_0"); set minTlsVersion to "TLS_1_2".',
      ),
    ]);
  });

  it("reports an unset minimum TLS version, which means TLS 1.0", () => {
    const props = copy(policy);
    delete props.minTlsVersion;
    assert.deepStrictEqual(check(props), [
      violation(
        tlsModern,
        subject,
        'SSL policy "subject" lets clients use TLS older than 1.2 (minTlsVersion unset, which means TLS_1_0); set minTlsVersion to "TLS_1_2".',
      ),
    ]);
  });

  it("reports the COMPATIBLE profile, and an unset one", () => {
    assert.deepStrictEqual(check({ ...copy(policy), profile: "COMPATIBLE" }), [
      violation(
        tlsModern,
        subject,
        'SSL policy "subject" uses the profile "COMPATIBLE", which keeps weak ciphers; set profile to "MODERN" or "RESTRICTED".',
      ),
    ]);
    const props = copy(policy);
    delete props.profile;
    assert.deepStrictEqual(check(props), [
      violation(
        tlsModern,
        subject,
        'SSL policy "subject" uses the default COMPATIBLE profile, which keeps weak ciphers; set profile to "MODERN" or "RESTRICTED".',
      ),
    ]);
  });

  it("reports weak cipher suites in a CUSTOM profile", () => {
    const props = {
      ...copy(policy),
      profile: "CUSTOM",
      customFeatures: ["TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_RSA_WITH_3DES_EDE_CBC_SHA"],
    };
    assert.deepStrictEqual(check(props), [
      violation(
        tlsModern,
        subject,
        'SSL policy "subject" enables weak cipher suites (TLS_RSA_WITH_3DES_EDE_CBC_SHA); remove them from customFeatures or use the "RESTRICTED" profile.',
      ),
    ]);
  });

  it("reports the MODERN profile where the policy config requires RESTRICTED (prod), and asks for RESTRICTED", () => {
    const restrictedOnly = { [tlsModern.name]: { requireRestrictedProfile: true } };
    const strict = (props: object) => runOn(tlsModern, T.sslPolicy, props, { settings: restrictedOnly });
    assert.deepStrictEqual(strict(policy), []);
    assert.deepStrictEqual(strict({ ...copy(policy), profile: "MODERN" }), [
      violation(
        tlsModern,
        subject,
        'SSL policy "subject" uses the profile "MODERN", which still enables CBC cipher suites with SHA-1 MACs; ' +
          'this environment requires forward-secret AEAD ciphers only: set profile to "RESTRICTED".',
      ),
    ]);
    assert.deepStrictEqual(strict({ ...copy(policy), profile: "COMPATIBLE" }), [
      violation(
        tlsModern,
        subject,
        'SSL policy "subject" uses the profile "COMPATIBLE", which keeps weak ciphers; set profile to "RESTRICTED".',
      ),
    ]);
  });

  it("checks regional SSL policies too", () => {
    assert.strictEqual(
      runOn(tlsModern, T.regionSslPolicy, { ...copy(policy), minTlsVersion: "TLS_1_1" }).length,
      1,
    );
  });

  it("reports nothing it cannot know during preview", () => {
    assert.deepStrictEqual(check({ minTlsVersion: UNKNOWN, profile: UNKNOWN }), [
      cantRun(tlsModern, { name: "subject", type: T.sslPolicy }, "minTlsVersion"),
    ]);
  });
});

describe("https: gcp-https-proxy-requires-managed-certificate", () => {
  const selfManaged = (r: (name: string) => { type: string; props: object; dependencies?: string[] }) => {
    const cert = r("lb-cert");
    cert.type = T.sslCertificate;
    cert.props = {
      name: "foobar-web-cert",
      certificate: "-----BEGIN CERTIFICATE-----",
      privateKey: "-----BEGIN PRIVATE KEY-----",
      selfLink: `${G}/global/sslCertificates/foobar-web-cert`,
    };
  };

  it("passes the compliant stack (a managed certificate) under prod's setting", () => {
    assert.deepStrictEqual(
      run(
        requiresManaged,
        stackWith(() => {}),
        prodLike,
      ),
      [],
    );
  });

  it("does not apply when the environment does not require a managed certificate (dev)", () => {
    assert.deepStrictEqual(run(requiresManaged, stackWith(selfManaged)), []);
  });

  it("reports a self-managed certificate", () => {
    assert.deepStrictEqual(run(requiresManaged, stackWith(selfManaged), prodLike), [
      violation(
        requiresManaged,
        httpsProxy,
        'HTTPS proxy "lb-https-proxy" serves the self-managed certificate "lb-cert", which browsers may not trust; ' +
          "this environment requires a Google-managed certificate: use a ManagedSslCertificate for the site's domain.",
      ),
    ]);
  });

  it("reports a certificate made from a self-signed one, naming it", () => {
    const stack = stackWith((r, all) => {
      selfManaged(r);
      all.push({ type: T.tlsSelfSignedCert, name: "lb-self-signed", props: { validityPeriodHours: 8760 } });
      r("lb-cert").dependencies = ["lb-self-signed"];
    });
    assert.deepStrictEqual(run(requiresManaged, stack, prodLike), [
      violation(
        requiresManaged,
        httpsProxy,
        'HTTPS proxy "lb-https-proxy" serves the self-managed certificate "lb-cert" (made from the self-signed certificate "lb-self-signed"), which browsers may not trust; ' +
          "this environment requires a Google-managed certificate: use a ManagedSslCertificate for the site's domain.",
      ),
    ]);
  });

  it("reports a certificate that is not in the stack, which it cannot verify", () => {
    const ref = `${G}/global/sslCertificates/imported-cert`;
    const stack = stackWith((r) => {
      r("lb-https-proxy").props.sslCertificates = [ref];
      r("lb-https-proxy").dependencies = ["lb-urlmap", "lb-ssl-policy"];
    });
    assert.deepStrictEqual(run(requiresManaged, stack, prodLike), [
      violation(
        requiresManaged,
        httpsProxy,
        `HTTPS proxy "lb-https-proxy" serves the certificate "${ref}", which is not in this stack, so the pack cannot verify that it is Google-managed; ` +
          "this environment requires a Google-managed certificate: create a ManagedSslCertificate for the site's domain in this stack and reference it in sslCertificates.",
      ),
    ]);
    assert.deepStrictEqual(run(requiresManaged, stack), []);
  });

  it("reports a certificate map, which it cannot verify", () => {
    const map =
      "//certificatemanager.googleapis.com/projects/foobar-prod/locations/global/certificateMaps/site";
    const stack = stackWith((r) => {
      delete r("lb-https-proxy").props.sslCertificates;
      r("lb-https-proxy").props.certificateMap = map;
      r("lb-https-proxy").dependencies = ["lb-urlmap", "lb-ssl-policy"];
    });
    assert.deepStrictEqual(run(requiresManaged, stack, prodLike), [
      violation(
        requiresManaged,
        httpsProxy,
        `HTTPS proxy "lb-https-proxy" serves the certificates of the certificate map "${map}", which the pack cannot verify are Google-managed; ` +
          "this environment requires a Google-managed certificate: remove certificateMap and reference a ManagedSslCertificate for the site's domain, created in this stack, in sslCertificates.",
      ),
    ]);
    assert.deepStrictEqual(run(requiresManaged, stack), []);
  });

  it("finds the certificate through the proxy's dependencies when its reference is unknown", () => {
    const stack = stackWith((r) => {
      selfManaged(r);
      r("lb-https-proxy").props.sslCertificates = [UNKNOWN];
    });
    assert.strictEqual(run(requiresManaged, stack, prodLike).length, 1);
  });
});

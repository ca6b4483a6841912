import * as assert from "assert";
import { T } from "../lib/types";
import { UNKNOWN } from "../lib/unknowns";
import { siteRequiresQpsAlert as qpsAlert } from "../monitoring/site-requires-qps-alert";
import { siteRequiresUptimeCheck as uptimeCheck } from "../monitoring/site-requires-uptime-check";
import { vmRequiresOpsAgent as opsAgent } from "../monitoring/vm-requires-ops-agent";
import { compliantTemplate, Props, remove, run, stackWith, TestResource, violation } from "./util";

const AGENT_INSTALL = "bash add-google-cloud-ops-agent-repo.sh --also-install";

/** The compliant stack with the Ops Agent taken out of every web VM's startup script. */
function withoutAgentInScripts(r: (name: string) => TestResource): void {
  for (const name of ["web-0", "web-1", "web-2"]) {
    const metadata = r(name).props.metadata;
    metadata["startup-script"] = metadata["startup-script"].replace(AGENT_INSTALL, "");
  }
}

/** An OS policy assignment that installs the Ops Agent, with the given filter and zone. */
function agentAssignment(instanceFilter: Props, location = "us-central1-a", mode = "ENFORCEMENT"): Props {
  return {
    location,
    instanceFilter,
    rollout: { disruptionBudget: { percent: 50 }, minWaitDuration: "60s" },
    osPolicies: [
      {
        id: "ops-agent",
        mode,
        resourceGroups: [
          {
            resources: [
              { id: "agent", pkg: { desiredState: "INSTALLED", apt: { name: "google-cloud-ops-agent" } } },
            ],
          },
        ],
      },
    ],
  };
}

describe("monitoring: gcp-vm-requires-ops-agent", () => {
  const message = (kind: string, name: string) =>
    `${kind} "${name}" does not install the Ops Agent, so nothing reports its health and metrics; ` +
    "install it in the startup script (add-google-cloud-ops-agent-repo.sh --also-install) " +
    "or target the VM with an OS policy assignment that installs google-cloud-ops-agent.";

  it("passes the compliant stack (the agent is installed by the startup script)", () => {
    assert.deepStrictEqual(
      run(
        opsAgent,
        stackWith(() => {}),
      ),
      [],
    );
  });

  it("reports a VM whose startup script does not install the agent", () => {
    const stack = stackWith((r) => {
      const metadata = r("web-1").props.metadata;
      metadata["startup-script"] = metadata["startup-script"].replace(AGENT_INSTALL, "");
    });
    assert.deepStrictEqual(run(opsAgent, stack), [
      violation(opsAgent, { name: "web-1", type: T.instance }, message("VM", "web-1")),
    ]);
  });

  it("does not count a commented-out install, whole-line or trailing", () => {
    const stack = stackWith((r) => {
      const metadata = r("web-1").props.metadata;
      metadata["startup-script"] = metadata["startup-script"].replace(AGENT_INSTALL, `# ${AGENT_INSTALL}`);
      const other = r("web-2").props.metadata;
      other["startup-script"] = other["startup-script"].replace(AGENT_INSTALL, `true # ${AGENT_INSTALL}`);
    });
    assert.deepStrictEqual(run(opsAgent, stack), [
      violation(opsAgent, { name: "web-1", type: T.instance }, message("VM", "web-1")),
      violation(opsAgent, { name: "web-2", type: T.instance }, message("VM", "web-2")),
    ]);
  });

  it("accepts the installer fetched first and run from where it was saved, and not the fetch alone", () => {
    const fetched =
      'curl -sSfL -o "$installer" https://dl.google.com/cloudagents/add-google-cloud-ops-agent-repo.sh\n';
    const stack = stackWith((r) => {
      const metadata = r("web-1").props.metadata;
      metadata["startup-script"] = metadata["startup-script"].replace(
        AGENT_INSTALL,
        `${fetched}retry "installing the Ops Agent" bash "$installer" --also-install`,
      );
      const other = r("web-2").props.metadata;
      other["startup-script"] = other["startup-script"].replace(AGENT_INSTALL, fetched);
    });
    assert.deepStrictEqual(run(opsAgent, stack), [
      violation(opsAgent, { name: "web-2", type: T.instance }, message("VM", "web-2")),
    ]);
  });

  it("accepts the agent installed by a package manager or cloud-init", () => {
    const stack = stackWith((r) => {
      withoutAgentInScripts(r);
      r("web-0").props.metadata["startup-script"] += "\napt-get install -y google-cloud-ops-agent\n";
      r("web-1").props.metadata["user-data"] = "#cloud-config\npackages:\n  - google-cloud-ops-agent\n";
      r("web-2").props.metadataStartupScript = "dnf install -y google-cloud-ops-agent";
    });
    assert.deepStrictEqual(run(opsAgent, stack), []);
  });

  it("accepts an OS policy assignment for all VMs in the VM's zone, and only there", () => {
    const stack = stackWith((r, all) => {
      withoutAgentInScripts(r);
      all.push({ type: T.osPolicyAssignment, name: "agent-a", props: agentAssignment({ all: true }) });
    });
    assert.deepStrictEqual(run(opsAgent, stack), [
      violation(opsAgent, { name: "web-1", type: T.instance }, message("VM", "web-1")),
      violation(opsAgent, { name: "web-2", type: T.instance }, message("VM", "web-2")),
    ]);
  });

  it("matches OS policy assignments by inclusion and exclusion labels", () => {
    const stack = stackWith((r, all) => {
      withoutAgentInScripts(r);
      r("web-0").props.labels.canary = "true";
      for (const zone of ["a", "b", "c"]) {
        all.push({
          type: T.osPolicyAssignment,
          name: `agent-${zone}`,
          props: agentAssignment(
            {
              inclusionLabels: [{ labels: { tier: "web" } }],
              exclusionLabels: [{ labels: { canary: "true" } }],
            },
            `us-central1-${zone}`,
          ),
        });
      }
    });
    assert.deepStrictEqual(run(opsAgent, stack), [
      violation(opsAgent, { name: "web-0", type: T.instance }, message("VM", "web-0")),
    ]);
  });

  it("does not count an assignment that only validates", () => {
    const stack = stackWith((r, all) => {
      withoutAgentInScripts(r);
      for (const zone of ["a", "b", "c"]) {
        all.push({
          type: T.osPolicyAssignment,
          name: `agent-${zone}`,
          props: agentAssignment({ all: true }, `us-central1-${zone}`, "VALIDATION"),
        });
      }
    });
    assert.strictEqual(run(opsAgent, stack).length, 3);
  });

  it("checks instance templates", () => {
    const template = compliantTemplate();
    template.metadata = { ...template.metadata, "startup-script": "apt-get install -y nginx" };
    const stack = stackWith((_, all) =>
      all.push({ type: T.instanceTemplate, name: "web-template", props: template }),
    );
    assert.deepStrictEqual(run(opsAgent, stack), [
      violation(
        opsAgent,
        { name: "web-template", type: T.instanceTemplate },
        message("Instance template", "web-template"),
      ),
    ]);
  });

  it("reports nothing it cannot know during preview", () => {
    const stack = stackWith((r) => {
      withoutAgentInScripts(r);
      r("web-0").props.metadata["startup-script"] = UNKNOWN;
      r("web-1").props.metadata = UNKNOWN;
    });
    assert.deepStrictEqual(run(opsAgent, stack), [
      violation(opsAgent, { name: "web-2", type: T.instance }, message("VM", "web-2")),
    ]);
  });
});

describe("monitoring: gcp-site-requires-uptime-check", () => {
  it("passes the compliant stack", () => {
    assert.deepStrictEqual(
      run(
        uptimeCheck,
        stackWith(() => {}),
      ),
      [],
    );
  });

  it("reports a site without an uptime check", () => {
    const stack = stackWith((_, all) => remove(all, "mon-uptime"));
    assert.deepStrictEqual(run(uptimeCheck, stack), [
      violation(
        uptimeCheck,
        null,
        "The stack serves a site but has no uptime check; add an UptimeCheckConfig whose httpCheck requests the site's domain with useSsl: true.",
      ),
    ]);
  });

  it("reports an uptime check over plain HTTP", () => {
    const stack = stackWith((r) => (r("mon-uptime").props.httpCheck.useSsl = false));
    assert.deepStrictEqual(run(uptimeCheck, stack), [
      violation(
        uptimeCheck,
        { name: "mon-uptime", type: T.uptimeCheckConfig },
        'Uptime check "mon-uptime" requests the site over plain HTTP; set httpCheck.useSsl to true so it checks the HTTPS site users reach.',
      ),
    ]);
  });

  it("reports a TCP-only uptime check", () => {
    const stack = stackWith((r) => {
      delete r("mon-uptime").props.httpCheck;
      r("mon-uptime").props.tcpCheck = { port: 443 };
    });
    assert.deepStrictEqual(run(uptimeCheck, stack), [
      violation(
        uptimeCheck,
        { name: "mon-uptime", type: T.uptimeCheckConfig },
        'Uptime check "mon-uptime" does not request the site over HTTPS; give it an httpCheck with useSsl: true on the site\'s domain.',
      ),
    ]);
  });

  const otherHost = (host: string) =>
    'Uptime check "mon-uptime" requests "' +
    host +
    '", not the site\'s domain ("www.foobar.com" on its certificate); ' +
    "set monitoredResource.labels.host to the site's domain so the check watches the site users reach.";

  it("reports an HTTPS uptime check on a host the site's certificate does not cover", () => {
    const stack = stackWith(
      (r) => (r("mon-uptime").props.monitoredResource.labels.host = "status.example.com"),
    );
    assert.deepStrictEqual(run(uptimeCheck, stack), [
      violation(
        uptimeCheck,
        { name: "mon-uptime", type: T.uptimeCheckConfig },
        otherHost("status.example.com"),
      ),
    ]);
  });

  it("takes the domains of a self-signed certificate from the certificate it was made from", () => {
    const selfSigned = (host: string) =>
      stackWith((r, all) => {
        const cert = r("lb-cert");
        cert.type = T.sslCertificate;
        cert.props = { name: "foobar-web-cert", certificate: "PEM", selfLink: cert.props.selfLink };
        cert.dependencies = ["lb-self-signed"];
        all.push({
          type: T.tlsSelfSignedCert,
          name: "lb-self-signed",
          props: { dnsNames: ["www.foobar.com"], subject: { commonName: "www.foobar.com" } },
        });
        r("mon-uptime").props.monitoredResource.labels.host = host;
      });
    assert.deepStrictEqual(run(uptimeCheck, selfSigned("WWW.foobar.com")), []);
    assert.deepStrictEqual(run(uptimeCheck, selfSigned("status.example.com")), [
      violation(
        uptimeCheck,
        { name: "mon-uptime", type: T.uptimeCheckConfig },
        otherHost("status.example.com"),
      ),
    ]);
  });

  it("does not check the host when the certificate's domains are unknown", () => {
    const stack = stackWith((r) => {
      r("lb-cert").props.managed.domains = UNKNOWN;
      r("mon-uptime").props.monitoredResource.labels.host = "status.example.com";
    });
    assert.deepStrictEqual(run(uptimeCheck, stack), []);
  });

  it("does not apply to a stack that serves no site", () => {
    assert.deepStrictEqual(run(uptimeCheck, [{ type: T.network, name: "vpc", props: {} }]), []);
  });

  it("reports nothing it cannot know during preview", () => {
    const stack = stackWith((r) => (r("mon-uptime").props.httpCheck = UNKNOWN));
    assert.deepStrictEqual(run(uptimeCheck, stack), []);
  });
});

describe("monitoring: gcp-site-requires-qps-alert", () => {
  const qps = { name: "mon-qps", type: T.alertPolicy };
  const NO_QPS_ALERT =
    "The stack serves a site but no alert policy watches its QPS; add an AlertPolicy with a threshold condition on " +
    'metric.type="loadbalancing.googleapis.com/https/request_count" (no response_code restriction, no denominatorFilter, ' +
    "comparison COMPARISON_GT) and a notification channel.";

  it("passes the compliant stack", () => {
    assert.deepStrictEqual(
      run(
        qpsAlert,
        stackWith(() => {}),
      ),
      [],
    );
  });

  it("reports a site without a QPS alert", () => {
    const stack = stackWith((_, all) => remove(all, "mon-qps", "mon-5xx"));
    assert.deepStrictEqual(run(qpsAlert, stack), [violation(qpsAlert, null, NO_QPS_ALERT)]);
  });

  it("reports a site whose only request_count alert is the 5xx-ratio alert", () => {
    const stack = stackWith((_, all) => remove(all, "mon-qps"));
    assert.deepStrictEqual(run(qpsAlert, stack), [violation(qpsAlert, null, NO_QPS_ALERT)]);
  });

  it("does not count a request_count alert restricted to some response codes", () => {
    const stack = stackWith((r, all) => {
      remove(all, "mon-5xx");
      r("mon-qps").props.conditions[0].conditionThreshold.filter +=
        ' AND metric.labels.response_code_class="500"';
    });
    assert.deepStrictEqual(run(qpsAlert, stack), [violation(qpsAlert, null, NO_QPS_ALERT)]);
  });

  it("does not count a request_count ratio (a denominatorFilter)", () => {
    const stack = stackWith((r, all) => {
      remove(all, "mon-5xx");
      r("mon-qps").props.conditions[0].conditionThreshold.denominatorFilter =
        'metric.type="loadbalancing.googleapis.com/https/request_count" AND resource.type="https_lb_rule"';
    });
    assert.deepStrictEqual(run(qpsAlert, stack), [violation(qpsAlert, null, NO_QPS_ALERT)]);
  });

  it("does not count a request_count alert that fires when traffic falls", () => {
    const stack = stackWith((r, all) => {
      remove(all, "mon-5xx");
      r("mon-qps").props.conditions[0].conditionThreshold.comparison = "COMPARISON_LT";
    });
    assert.deepStrictEqual(run(qpsAlert, stack), [violation(qpsAlert, null, NO_QPS_ALERT)]);
  });

  it("counts COMPARISON_GE and the regional load balancer's request_count", () => {
    const stack = stackWith((r, all) => {
      remove(all, "mon-5xx");
      const threshold = r("mon-qps").props.conditions[0].conditionThreshold;
      threshold.comparison = "COMPARISON_GE";
      threshold.filter = 'metric.type="loadbalancing.googleapis.com/https/external/regional/request_count"';
    });
    assert.deepStrictEqual(run(qpsAlert, stack), []);
  });

  it("reports a QPS alert that is disabled", () => {
    const stack = stackWith((r) => (r("mon-qps").props.enabled = false));
    assert.deepStrictEqual(run(qpsAlert, stack), [
      violation(qpsAlert, qps, 'QPS alert policy "mon-qps" is disabled; set enabled to true.'),
    ]);
  });

  it("reports a QPS alert that notifies nobody", () => {
    const stack = stackWith((r, all) => {
      remove(all, "mon-5xx");
      r("mon-qps").props.notificationChannels = [];
    });
    assert.deepStrictEqual(run(qpsAlert, stack), [
      violation(
        qpsAlert,
        qps,
        'QPS alert policy "mon-qps" notifies nobody; add a notification channel (for example the team\'s e-mail) to notificationChannels.',
      ),
    ]);
  });

  it("does not count MQL or PromQL conditions, whose response-code filters it cannot read", () => {
    const stack = stackWith((r, all) => {
      remove(all, "mon-5xx");
      r("mon-qps").props.conditions = [
        {
          displayName: "QPS",
          conditionPrometheusQueryLanguage: {
            query: "sum(rate(loadbalancing_googleapis_com:https_request_count[1m])) > 100",
          },
        },
      ];
    });
    assert.deepStrictEqual(run(qpsAlert, stack), [violation(qpsAlert, null, NO_QPS_ALERT)]);
  });

  it("counts metrics named in the policy config", () => {
    const custom = stackWith((r, all) => {
      remove(all, "mon-5xx");
      r("mon-qps").props.conditions[0].conditionThreshold.filter =
        'metric.type="custom.googleapis.com/nginx/requests"';
    });
    assert.deepStrictEqual(run(qpsAlert, custom), [violation(qpsAlert, null, NO_QPS_ALERT)]);
    assert.deepStrictEqual(
      run(qpsAlert, custom, { [qpsAlert.name]: { qpsMetrics: ["custom.googleapis.com/nginx/requests"] } }),
      [],
    );
  });

  it("reports nothing it cannot know during preview", () => {
    const stack = stackWith((r, all) => {
      remove(all, "mon-5xx");
      r("mon-qps").props.notificationChannels = UNKNOWN;
    });
    assert.deepStrictEqual(run(qpsAlert, stack), []);
  });
});

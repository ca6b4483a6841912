import * as assert from "assert";
import { T } from "../lib/types";
import { UNKNOWN } from "../lib/unknowns";
import { cloudSqlRequiresHealthAlerts as dbAlerts } from "../monitoring/cloudsql-requires-health-alerts";
import { siteRequiresOutageAlerts as outage } from "../monitoring/site-requires-outage-alerts";
import { remove, run, stackWith, violation } from "./util";

const NO_DROP_ALERT =
  "The stack serves a site but no alert policy fires when its traffic falls away; add an AlertPolicy with a " +
  'conditionAbsent on metric.type="loadbalancing.googleapis.com/https/request_count", or a PromQL condition ' +
  "comparing its request rate with the same time last week, and a notification channel.";
const NO_BURN_ALERT =
  "The stack serves a site but no alert policy watches an error budget; add a monitoring Slo for the site and an " +
  'AlertPolicy with a threshold condition on select_slo_burn_rate("<slo name>", "3600s"), comparison ' +
  "COMPARISON_GT, and a notification channel.";
const NO_DOWN_ALERT =
  "The stack has Cloud SQL instances but no alert policy fires when one is down; add an AlertPolicy with a " +
  'threshold condition on metric.type="cloudsql.googleapis.com/database/up" (comparison COMPARISON_LT, value 1) ' +
  "and a notification channel.";
const NO_REPLICATION_ALERT =
  "The stack has read replicas (db-replica-0) but no alert policy fires when replication stops; add an AlertPolicy " +
  'with a condition on metric.type="cloudsql.googleapis.com/database/mysql/replication/slave_io_running_state" ' +
  "(and slave_sql_running_state) for state Yes, and a notification channel.";
const LB_REQUESTS =
  'metric.type="loadbalancing.googleapis.com/https/request_count" resource.type="https_lb_rule"';
const alertOf = (name: string) => ({ name, type: T.alertPolicy });

describe("monitoring: gcp-site-requires-outage-alerts", () => {
  it("passes the compliant stack", () => {
    assert.deepStrictEqual(
      run(
        outage,
        stackWith(() => {}),
      ),
      [],
    );
  });

  it("reports a site with neither a traffic-drop nor a burn-rate alert", () => {
    const stack = stackWith((_, all) => remove(all, "mon-traffic-absent", "mon-slo-burn"));
    assert.deepStrictEqual(run(outage, stack), [
      violation(outage, null, NO_DROP_ALERT),
      violation(outage, null, NO_BURN_ALERT),
    ]);
  });

  it("does not count a QPS ceiling, a 5xx ratio or the uptime alert as a traffic-drop alert", () => {
    const stack = stackWith((_, all) => remove(all, "mon-traffic-absent"));
    assert.deepStrictEqual(run(outage, stack), [violation(outage, null, NO_DROP_ALERT)]);
  });

  it("does not count an absence of some other metric, or of errors only", () => {
    for (const filter of [
      'metric.type="compute.googleapis.com/instance/cpu/utilization"',
      `${LB_REQUESTS} metric.label.response_code_class="500"`,
    ]) {
      const stack = stackWith(
        (r) => (r("mon-traffic-absent").props.conditions[0].conditionAbsent.filter = filter),
      );
      assert.deepStrictEqual(run(outage, stack), [violation(outage, null, NO_DROP_ALERT)], filter);
    }
  });

  it("counts a threshold below which requests must not fall, but not one restricted to errors", () => {
    const falling = (filter: string, comparison = "COMPARISON_LT") =>
      stackWith((r) => {
        r("mon-traffic-absent").props.conditions = [
          {
            displayName: "low",
            conditionThreshold: { filter, comparison, thresholdValue: 1, duration: "600s" },
          },
        ];
      });
    assert.deepStrictEqual(run(outage, falling(LB_REQUESTS)), []);
    assert.deepStrictEqual(run(outage, falling(LB_REQUESTS, "COMPARISON_LE")), []);
    assert.deepStrictEqual(run(outage, falling(LB_REQUESTS, "COMPARISON_GT")), [
      violation(outage, null, NO_DROP_ALERT),
    ]);
    assert.deepStrictEqual(run(outage, falling(`${LB_REQUESTS} metric.label.response_code_class="200"`)), [
      violation(outage, null, NO_DROP_ALERT),
    ]);
  });

  it("counts a PromQL comparison of the request rate against last week, by the metric's PromQL name", () => {
    const promql = (query: string) =>
      stackWith((r) => {
        r("mon-traffic-absent").props.conditions = [
          { displayName: "drop", conditionPrometheusQueryLanguage: { query, duration: "600s" } },
        ];
      });
    const rate = (offset = "") =>
      `sum(rate(loadbalancing_googleapis_com:https_request_count{url_map_name="m"}[10m]${offset}))`;
    assert.deepStrictEqual(run(outage, promql(`${rate()} < 0.5 * ${rate(" offset 1w")}`)), []);
    // A rise above last week is a spike alert, and a bool comparison never filters anything out.
    assert.deepStrictEqual(run(outage, promql(`${rate()} > 2 * ${rate(" offset 1w")}`)), [
      violation(outage, null, NO_DROP_ALERT),
    ]);
    assert.deepStrictEqual(run(outage, promql(`${rate()} < bool 1`)), [
      violation(outage, null, NO_DROP_ALERT),
    ]);
    assert.deepStrictEqual(run(outage, promql("sum(rate(nginx_requests_total[10m])) < 1")), [
      violation(outage, null, NO_DROP_ALERT),
    ]);
  });

  it("counts only burn-rate conditions that fire on a fast burn", () => {
    const burn = (filter: string, comparison = "COMPARISON_GT") =>
      stackWith((r) => {
        Object.assign(r("mon-slo-burn").props.conditions[0].conditionThreshold, { filter, comparison });
      });
    const slo = "projects/p/services/s/serviceLevelObjectives/availability";
    assert.deepStrictEqual(run(outage, burn(`select_slo_burn_rate("${slo}", "3600s")`, "COMPARISON_GE")), []);
    assert.deepStrictEqual(run(outage, burn(`select_slo_burn_rate("${slo}", "3600s")`, "COMPARISON_LT")), [
      violation(outage, null, NO_BURN_ALERT),
    ]);
    // Compliance or budget left is a slower signal than the burn rate, and not what the policy asks for.
    assert.deepStrictEqual(run(outage, burn(`select_slo_budget_fraction("${slo}")`, "COMPARISON_LT")), [
      violation(outage, null, NO_BURN_ALERT),
    ]);
  });

  it("reports a traffic-drop or burn-rate alert that is disabled or notifies nobody, on the alert", () => {
    const stack = stackWith((r) => {
      r("mon-traffic-absent").props.enabled = false;
      r("mon-slo-burn").props.notificationChannels = [];
    });
    assert.deepStrictEqual(run(outage, stack), [
      violation(
        outage,
        alertOf("mon-traffic-absent"),
        'Traffic-drop alert policy "mon-traffic-absent" is disabled; set enabled to true.',
      ),
      violation(
        outage,
        alertOf("mon-slo-burn"),
        'Burn-rate alert policy "mon-slo-burn" notifies nobody; add a notification channel (for example the team\'s e-mail) to notificationChannels.',
      ),
    ]);
  });

  it("is not applicable to a stack that serves no site", () => {
    const stack = stackWith((_, all) =>
      remove(
        all,
        ...all.filter((r) => /UrlMap|uRLMap|Proxy/.test(r.type)).map((r) => r.name),
        "mon-traffic-absent",
        "mon-slo-burn",
      ),
    );
    assert.deepStrictEqual(run(outage, stack), []);
  });

  it("reports nothing it cannot know during preview", () => {
    const stack = stackWith((r, all) => {
      remove(all, "mon-slo-burn");
      r("mon-traffic-absent").props.conditions[0].conditionAbsent.filter = UNKNOWN;
      r("mon-qps").props.conditions[0].conditionThreshold.filter = UNKNOWN;
    });
    assert.deepStrictEqual(run(outage, stack), []);
  });
});

describe("monitoring: gcp-cloudsql-requires-health-alerts", () => {
  it("passes the compliant stack", () => {
    assert.deepStrictEqual(
      run(
        dbAlerts,
        stackWith(() => {}),
      ),
      [],
    );
  });

  it("reports a database with no instance-down or replication alert", () => {
    const stack = stackWith((_, all) => remove(all, "mon-db-down", "mon-db-replication"));
    assert.deepStrictEqual(run(dbAlerts, stack), [
      violation(dbAlerts, null, NO_DOWN_ALERT),
      violation(dbAlerts, null, NO_REPLICATION_ALERT),
    ]);
  });

  it("does not count the deprecated database/state, which reads RUNNING through an outage", () => {
    const stack = stackWith((r) => {
      r("mon-db-down").props.conditions[0].conditionThreshold.filter =
        'metric.type="cloudsql.googleapis.com/database/state" resource.type="cloudsql_database"';
    });
    assert.deepStrictEqual(run(dbAlerts, stack), [violation(dbAlerts, null, NO_DOWN_ALERT)]);
  });

  it("does not count database/uptime for database/up", () => {
    const stack = stackWith((r) => {
      r("mon-db-down").props.conditions[0].conditionThreshold.filter =
        'metric.type="cloudsql.googleapis.com/database/uptime"';
    });
    assert.deepStrictEqual(run(dbAlerts, stack), [violation(dbAlerts, null, NO_DOWN_ALERT)]);
  });

  it("counts instance_state, and an absence of database/up", () => {
    const state = stackWith((r) => {
      r("mon-db-down").props.conditions[0].conditionThreshold.filter =
        'metric.type="cloudsql.googleapis.com/database/instance_state" metric.label.state="FAILED"';
    });
    assert.deepStrictEqual(run(dbAlerts, state), []);
    const absent = stackWith((r) => {
      r("mon-db-down").props.conditions = [
        {
          displayName: "silent",
          conditionAbsent: { filter: 'metric.type="cloudsql.googleapis.com/database/up"', duration: "600s" },
        },
      ];
    });
    assert.deepStrictEqual(run(dbAlerts, absent), []);
  });

  it("does not count replica lag for replication health: it turns negative when replication stops", () => {
    const stack = stackWith((r) => {
      r("mon-db-replication").props.conditions[0].conditionThreshold.filter =
        'metric.type="cloudsql.googleapis.com/database/replication/replica_lag"';
    });
    assert.deepStrictEqual(run(dbAlerts, stack), [violation(dbAlerts, null, NO_REPLICATION_ALERT)]);
  });

  it("counts the MySQL replication thread states", () => {
    const stack = stackWith((r) => {
      r("mon-db-replication").props.conditions[0].conditionThreshold.filter =
        'metric.type="cloudsql.googleapis.com/database/mysql/replication/slave_sql_running_state" metric.label.state="Yes"';
    });
    assert.deepStrictEqual(run(dbAlerts, stack), []);
  });

  it("needs no replication alert without read replicas", () => {
    const stack = stackWith((_, all) => remove(all, "db-replica-0", "mon-db-replication"));
    assert.deepStrictEqual(run(dbAlerts, stack), []);
  });

  it("reports an instance-down alert that is disabled, on the alert", () => {
    const stack = stackWith((r) => (r("mon-db-down").props.enabled = false));
    assert.deepStrictEqual(run(dbAlerts, stack), [
      violation(
        dbAlerts,
        alertOf("mon-db-down"),
        'Instance-down alert policy "mon-db-down" is disabled; set enabled to true.',
      ),
    ]);
  });

  it("is not applicable without Cloud SQL", () => {
    const stack = stackWith((_, all) =>
      remove(
        all,
        ...all.filter((r) => r.type.startsWith("gcp:sql/")).map((r) => r.name),
        "mon-db-down",
        "mon-db-replication",
      ),
    );
    assert.deepStrictEqual(run(dbAlerts, stack), []);
  });

  it("reports nothing it cannot know during preview", () => {
    const stack = stackWith((r, all) => {
      remove(all, "mon-db-replication");
      r("mon-db-down").props.conditions = UNKNOWN;
    });
    assert.deepStrictEqual(run(dbAlerts, stack), []);
  });
});

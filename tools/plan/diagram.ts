import { offThread } from "../offThread";
import { PlannedResource } from "../offline/mockRun";
import { isReplica, isTlsOnly } from "../../policies/lib/cloudsql";
import { databaseServerIn, installsOpsAgent, scriptsOf } from "../../policies/lib/scripts";
import { interfacesWithPublicIp } from "../../policies/lib/vm";
import { str, webServersByZone } from "./webServers";
import { sqlInstance } from "./zoneFailure";

// Labels keep Graphviz's own escapes (\n, \l) for line breaks; only quotes need escaping.
function quote(text: string): string {
  return `"${text.replace(/"/g, '\\"')}"`;
}

const attributes = (attrs: Record<string, string>) =>
  Object.entries(attrs)
    .map(([k, v]) => `${k}=${quote(v)}`)
    .join(", ");

function node(id: string, label: string, attrs: Record<string, string> = {}): string {
  return `  ${quote(id)} [${attributes({ label, ...attrs })}];`;
}

function edge(from: string, to: string, label?: string, attrs: Record<string, string> = {}): string {
  const list = attributes({ ...(label ? { label } : {}), ...attrs });
  return `  ${quote(from)} -> ${quote(to)}${list ? ` [${list}]` : ""};`;
}

/** What the diagram says of a VM, read from its planned properties rather than assumed. */
function vmTraits(vm: PlannedResource): string[] {
  const scripts = scriptsOf(vm.props);
  const database = scripts.map(databaseServerIn).find((d) => d !== undefined);
  return [
    scripts.some(installsOpsAgent) ? "Ops Agent" : "no monitoring agent",
    ...(database ? [`runs ${database}`] : []),
    interfacesWithPublicIp(vm.props).length > 0 ? "public IP" : "no public IP",
  ];
}

/** A zone's web VMs: how many, how they are run, and what their instance template gives them. */
function vmsLabel(count: string, how: string, source: PlannedResource): string {
  return `${count} web VM${count === "1" ? "" : "s"} (${how})\\n${vmTraits(source).join(" · ")}`;
}

/** What the diagram says of a Cloud SQL instance, read from its planned settings. */
function databaseTraits(db: PlannedResource): string[] {
  const settings = (db.props.settings ?? {}) as Record<string, unknown>;
  const ip = (settings.ipConfiguration ?? {}) as Record<string, unknown>;
  return [
    ip.ipv4Enabled === false ? "private IP" : "public IP",
    isTlsOnly(db.props) ? "TLS only" : "TLS optional",
  ];
}

const ruleRank = (rule: string) =>
  ["ingress allow", "egress allow", "egress deny", "ingress deny"].findIndex((p) => rule.startsWith(p));

const ofType = (resources: PlannedResource[], type: string) => resources.filter((r) => r.type === type);

/** The planned stack as a Graphviz graph: internet → load balancer → firewall → VMs by zone → Cloud SQL. */
export function architectureDot(stack: string, resources: PlannedResource[]): string {
  const lines = [
    "digraph architecture {",
    '  graph [rankdir=TB, fontname="Helvetica", fontsize=11, labelloc=t, nodesep=0.3, ranksep=0.7];',
    '  node [shape=box, style="rounded,filled", fillcolor="#ffffff", fontname="Helvetica", fontsize=10];',
    '  edge [fontname="Helvetica", fontsize=9];',
    `  label=${quote(`foobar-web · stack ${stack} · planned offline`)};`,
    node("internet", "Internet\\n(browsers)", { shape: "ellipse", fillcolor: "#eef3fb" }),
  ];

  const address = ofType(resources, "gcp:compute/globalAddress:GlobalAddress").find(
    (a) => a.props.addressType === "EXTERNAL",
  );
  const managed = ofType(resources, "gcp:compute/managedSslCertificate:ManagedSslCertificate")[0];
  const selfSigned = ofType(resources, "gcp:compute/sSLCertificate:SSLCertificate")[0];
  const sslPolicy = ofType(resources, "gcp:compute/sSLPolicy:SSLPolicy")[0];
  const backend = ofType(resources, "gcp:compute/backendService:BackendService")[0];
  const backendTls = ["HTTPS", "HTTP2"].includes(str(backend?.props.protocol));
  const certificate = managed
    ? `Google-managed certificate\\n${((managed.props.managed as { domains?: string[] })?.domains ?? []).join(", ")}`
    : selfSigned
      ? "Self-signed certificate\\n(not browser-trusted)"
      : "no certificate";
  lines.push(
    "  subgraph cluster_edge {",
    '    label="Google front end (global, anycast)"; style="rounded,dashed"; color="#4285f4";',
    node(
      "lb",
      `Global HTTPS load balancer\\n${str(backend?.props.loadBalancingScheme) || "?"}\\n${str(address?.props.address)}`,
      { fillcolor: "#e8f0fe" },
    ),
    node(
      "cert",
      `${certificate}\\nSSL policy ${str(sslPolicy?.props.profile)} ${str(sslPolicy?.props.minTlsVersion).replace("TLS_1_", "TLS 1.")}+`,
      { shape: "note", fillcolor: "#fef7e0" },
    ),
    node("redirect", ":80 → 301 to HTTPS", { shape: "note" }),
    "  }",
    edge("internet", "lb", "HTTPS :443"),
    edge("internet", "redirect", "HTTP :80", { style: "dashed" }),
    edge("cert", "lb", "", { arrowhead: "none", style: "dotted" }),
  );

  const firewalls = ofType(resources, "gcp:compute/firewall:Firewall");
  const rule = (f: PlannedResource) => {
    const action = f.props.allows ? "allow" : "deny";
    const ports = ((f.props.allows ?? f.props.denies) as { protocol: string; ports?: string[] }[] | undefined)
      ?.map((p) => `${p.protocol}${p.ports ? `:${p.ports.join(",")}` : ""}`)
      .join(" ");
    const from = (f.props.sourceRanges as string[] | undefined)?.join(", ") ?? "";
    const to = (f.props.destinationRanges as string[] | undefined)?.join(", ") ?? "";
    return `${str(f.props.direction).toLowerCase()} ${action} ${ports}${from ? ` from ${from}` : ""}${to ? ` to ${to}` : ""}`;
  };
  lines.push(
    // Allow rules first, as a reader scans for what gets in; the wasm build measures text a little short,
    // hence the wide margin.
    node(
      "firewall",
      [
        "VPC firewall (per tier, logged)",
        ...firewalls.map(rule).sort((a, b) => ruleRank(a) - ruleRank(b)),
      ].join("\\l") + "\\l",
      { shape: "box", fillcolor: "#fce8e6", margin: "0.45,0.1" },
    ),
    edge("lb", "firewall", backendTls ? "HTTPS, re-encrypted\\nto backends" : "plain HTTP\\nto backends", {
      color: backendTls ? "#000000" : "#d93025",
    }),
  );

  const servers = webServersByZone(resources);
  const sql = ofType(resources, "gcp:sql/databaseInstance:DatabaseInstance");
  const zoneOf = (r: PlannedResource) => sqlInstance(r).zone;
  const standbyZones = sql
    .map((d) => [d, sqlInstance(d)] as const)
    .filter(([, i]) => i.regional && i.secondaryZone)
    .map(([d, i]) => [d, i.secondaryZone] as const);
  const zones = [
    ...new Set([...servers.map((s) => s.zone), ...sql.map(zoneOf), ...standbyZones.map(([, z]) => z)]),
  ]
    .filter(Boolean)
    .sort();

  const webNodes: string[] = [];
  for (const zone of zones) {
    lines.push(
      `  subgraph ${quote(`cluster_${zone}`)} {`,
      `    label=${quote(`zone ${zone}`)}; style=rounded; color="#9aa0a6";`,
    );
    const here = servers.filter((s) => s.zone === zone);
    const targets: string[] = [];
    for (const { group, count, possibleExtra, source } of here) {
      const id = `${group.name}-${zone}`;
      const how = `managed group, ${group.props.autoHealingPolicies ? "autohealed" : "not autohealed"}`;
      // A group's remainder VM may or may not land in this zone: `count–count+1`.
      const label = vmsLabel(`${count}${possibleExtra > 0 ? `–${count + possibleExtra}` : ""}`, how, source);
      lines.push(node(id, label, { fillcolor: "#e6f4ea" }));
      targets.push(id);
    }
    for (const db of sql.filter((d) => zoneOf(d) === zone)) {
      const role = isReplica(db.props) ? "read replica" : "primary (writes)";
      lines.push(
        node(
          db.name,
          `Cloud SQL ${str(db.props.databaseVersion).replace("MYSQL_", "MySQL ").replace("_", ".")}\\n${role}\\n${databaseTraits(db).join(" · ")}`,
          { shape: "cylinder", fillcolor: "#fff4e5" },
        ),
      );
    }
    for (const [primary] of standbyZones.filter(([, z]) => z === zone)) {
      lines.push(
        node(`${primary.name}-standby`, "Cloud SQL standby\\n(automatic failover)", {
          shape: "cylinder",
          fillcolor: "#fffaf0",
          style: "rounded,filled,dashed",
        }),
      );
    }
    lines.push("  }");
    webNodes.push(...targets);
    for (const target of targets) {
      lines.push(edge("firewall", target, ""));
      for (const db of sql.filter((d) => !isReplica(d.props))) {
        lines.push(edge(target, db.name, "MySQL over TLS :3306", { color: "#e37400" }));
      }
    }
  }
  for (const [primary] of standbyZones) {
    lines.push(
      edge(primary.name, `${primary.name}-standby`, "synchronous", { style: "dashed", dir: "both" }),
    );
  }
  for (const replica of sql.filter((d) => isReplica(d.props))) {
    const primary = sql.find((d) => str(d.props.name) === str(replica.props.masterInstanceName));
    if (primary) lines.push(edge(primary.name, replica.name, "replication", { style: "dashed" }));
  }

  const uptime = ofType(resources, "gcp:monitoring/uptimeCheckConfig:UptimeCheckConfig");
  const alerts = ofType(resources, "gcp:monitoring/alertPolicy:AlertPolicy");
  const channels = ofType(resources, "gcp:monitoring/notificationChannel:NotificationChannel");
  lines.push(
    "  subgraph cluster_monitoring {",
    '    label="Cloud Monitoring"; style="rounded"; color="#9334e6";',
    node("monitoring", `Dashboard: QPS, latency, 5xx, CPU\\n${alerts.length} alert policies`, {
      fillcolor: "#f3e8fd",
    }),
    ...(uptime.length > 0 ? [node("uptime", "Uptime check\\nHTTPS /", { fillcolor: "#f3e8fd" })] : []),
    ...channels.map((c) =>
      node(c.name, `e-mail\\n${str((c.props.labels as Record<string, string>)?.email_address)}`, {
        shape: "note",
      }),
    ),
    "  }",
    ...(uptime.length > 0 ? [edge("uptime", "lb", "probes", { style: "dotted" })] : []),
    edge("lb", "monitoring", "request_count (QPS)", { style: "dotted" }),
    ...channels.map((c) => edge("monitoring", c.name, "alerts", { style: "dotted" })),
    ...(webNodes.length > 0
      ? [edge(webNodes[0], "monitoring", "Ops Agent metrics", { style: "dotted" })]
      : []),
    "}",
  );
  return lines.join("\n");
}

/** The graph as SVG, laid out by Graphviz on the tools' worker thread. */
export function renderArchitectureSvg(stack: string, resources: PlannedResource[]): Promise<string> {
  return offThread("svgOf", architectureDot(stack, resources));
}

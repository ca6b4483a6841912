/**
 * What a VM's boot-time scripts install: the Ops Agent (the monitoring client) and database servers.
 * Scripts come from `metadataStartupScript`, the `startup-script` metadata key and cloud-init `user-data`.
 */
import { VmProps } from "./vm";
import { isAbsent } from "./values";

/** The properties of a VM or instance template that carry scripts. */
export type ScriptCarrier = Pick<VmProps, "metadata" | "metadataStartupScript">;

const SCRIPT_METADATA_KEYS = ["startup-script", "user-data"];

/** The scripts a VM or template runs at boot, with line continuations undone. */
export function scriptsOf(props: ScriptCarrier): string[] {
  const scripts = [props.metadataStartupScript, ...SCRIPT_METADATA_KEYS.map((key) => props.metadata?.[key])];
  return scripts
    .filter((script): script is string => typeof script === "string")
    .map((script) => script.replace(/\\\r?\n/g, " "));
}

/**
 * A script without its shell (and YAML) comments: whole lines whose first non-blank character is `#` (the
 * shebang and `#cloud-config` included, which install nothing) and trailing ` # ...` comments, so a
 * commented-out install does not count as one.
 */
export function withoutComments(script: string): string {
  return script
    .split(/\r?\n/)
    .map((line) => (/^\s*#/.test(line) ? "" : line.replace(/\s#.*$/, "")))
    .join("\n");
}

const PACKAGE_MANAGER_INSTALL = String.raw`\b(?:apt-get|apt|yum|dnf|zypper|apk)\b[^\n;&|]*\b(?:install|add)\b[^\n;&|]*`;

/** True when a script installs and starts the Google Cloud Ops Agent. */
export function installsOpsAgent(script: string): boolean {
  const code = withoutComments(script);
  return (
    /add-google-cloud-ops-agent-repo\.sh[^\n]*--also-install/.test(code) ||
    // Fetched first (with retries, say) and run from where it was saved, with --also-install.
    (/add-google-cloud-ops-agent-repo\.sh/.test(code) &&
      /^[^\n]*\bbash\b[^\n]*--also-install\b/m.test(code)) ||
    new RegExp(`${PACKAGE_MANAGER_INSTALL}\\bgoogle-cloud-ops-agent\\b`).test(code) ||
    /^\s*-\s*google-cloud-ops-agent\s*$/m.test(code)
  );
}

/** Database server packages a web or app server must not run, with an optional `-<version>` suffix. */
const DATABASE_SERVERS = String.raw`(?:(?:mysql-server|mysql-community-server|mariadb-server|percona-server-server|postgresql|postgresql-server|mongodb-org|mongodb-server|redis-server)(?:-\d[\w.]*)?)`;

/** Database server container images, with an optional registry or organisation prefix (`bitnami/mysql`). */
const DATABASE_IMAGES = String.raw`(?:[\w.-]+\/)*(?:mysql|mysql-server|mariadb|percona|percona-server|postgres|postgresql|mongo|mongodb)(?::[\w.-]+)?`;

/** The database server a script installs or runs (`mysql-server`, `docker run mysql`...), if any. */
export function databaseServerIn(script: string): string | undefined {
  const code = withoutComments(script);
  const installed = new RegExp(`${PACKAGE_MANAGER_INSTALL}\\b(${DATABASE_SERVERS})(?![\\w.-])`).exec(code);
  if (installed) return installed[1];
  const listed = new RegExp(`^\\s*-\\s*(${DATABASE_SERVERS})\\s*$`, "m").exec(code);
  if (listed) return listed[1];
  const container = new RegExp(
    `\\b(?:docker|podman)\\s+run\\b[^\\n]*?\\s(${DATABASE_IMAGES})(?=\\s|$)`,
    "m",
  ).exec(code);
  if (container) return container[1];
  const composed = new RegExp(`^\\s*image:\\s*["']?(${DATABASE_IMAGES})["']?\\s*$`, "m").exec(code);
  if (composed) return composed[1];
  return undefined;
}

/** The same checks over an OS policy package name. */
export function isOpsAgentPackage(name: string): boolean {
  return name.trim() === "google-cloud-ops-agent";
}

export function isDatabaseServerPackage(name: string): boolean {
  return new RegExp(`^${DATABASE_SERVERS}$`).test(name.trim());
}

/** The parts of an OS policy (input or output type alike) that say what it installs. */
export interface OsPolicyLike {
  mode?: string;
  resourceGroups: readonly {
    resources: readonly {
      pkg?: {
        desiredState: string;
        apt?: { name: string };
        yum?: { name: string };
        zypper?: { name: string };
        googet?: { name: string };
      };
      exec?: { enforce?: { script?: string } };
    }[];
  }[];
}

/**
 * What OS policies install on the VMs they target: the packages they keep INSTALLED and the scripts they
 * enforce with; with `enforcedOnly`, from the policies in ENFORCEMENT mode only (VALIDATION mode reports
 * without changing anything).
 */
export function osPolicyInstalls(
  osPolicies: readonly OsPolicyLike[],
  enforcedOnly: boolean,
): { packages: string[]; scripts: string[] } {
  const packages: string[] = [];
  const scripts: string[] = [];
  for (const policy of osPolicies) {
    if (enforcedOnly && policy.mode?.toUpperCase() !== "ENFORCEMENT") continue;
    for (const group of policy.resourceGroups) {
      for (const { pkg, exec } of group.resources) {
        if (pkg?.desiredState.toUpperCase() === "INSTALLED") {
          for (const manager of [pkg.apt, pkg.yum, pkg.zypper, pkg.googet]) {
            if (!isAbsent(manager)) packages.push(manager.name);
          }
        }
        const script = exec?.enforce?.script;
        if (!isAbsent(script)) scripts.push(script);
      }
    }
  }
  return { packages, scripts };
}

/**
 * Runs the web VM's boot script for real on this machine, under a temporary root, with Debian's own nginx
 * and openssl, and stand-ins only for what needs a VM or the internet: apt-get, dpkg-query, systemctl,
 * curl and sleep. The stand-ins record every call, so tests can assert on what the script asked for.
 */
import { spawn, spawnSync, ChildProcess } from "child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import { renderStartupScript, StartupScriptOptions } from "../../../components/web/startupScript";

const needed = ["nginx", "openssl", "shellcheck"];

/** Fails with one clear line when the Debian packages the boot tests run are missing. */
export function requireBootTools(): void {
  const missing = needed.filter((tool) => spawnSync("sh", ["-c", `command -v ${tool}`]).status !== 0);
  if (missing.length > 0) {
    throw new Error(
      `The boot script tests run ${missing.join(", ")} from Debian's packages; install them with ` +
        `"apt-get install -y nginx openssl shellcheck" (.ci/run does).`,
    );
  }
}

// apt-get fails its first $APT_FAILURES calls as it does with no route to the mirrors, then installs.
const stubs: Record<string, string> = {
  "apt-get": `#!/bin/bash
echo "$*" >>"$STUB_DIR/apt-get.calls"
calls=$(wc -l <"$STUB_DIR/apt-get.calls")
if ((calls <= \${APT_FAILURES:-0})); then
  echo "E: Failed to fetch http://deb.debian.org/debian/dists/bookworm/InRelease  Could not connect" >&2
  exit 100
fi
if [[ $* == *" install "* ]]; then
  for word in "$@"; do
    case $word in -* | install | DPkg::*) ;; *) echo "$word" >>"$STUB_DIR/installed" ;; esac
  done
fi
`,
  "dpkg-query": `#!/bin/bash
package=\${*: -1}
if grep -qx "$package" "$STUB_DIR/installed" 2>/dev/null; then printf installed; exit 0; fi
echo "dpkg-query: no packages found matching $package" >&2
exit 1
`,
  systemctl: `#!/bin/bash
echo "$*" >>"$STUB_DIR/systemctl.calls"
`,
  sleep: `#!/bin/bash
echo "$1" >>"$STUB_DIR/sleep.calls"
`,
  // The metadata server answers from files under $STUB_DIR/metadata, Secret Manager from $STUB_DIR/secret.
  curl: `#!/bin/bash
echo "$*" >>"$STUB_DIR/curl.calls"
out= format= url=
while (($#)); do
  case $1 in
  -o) out=$2; shift ;;
  -w) format=$2; shift ;;
  -H | --max-time) shift ;;
  -*) ;;
  *) url=$1 ;;
  esac
  shift
done
emit() { if [[ -n $out ]]; then cat >"$out"; else cat; fi; }
case $url in
http://metadata.google.internal/computeMetadata/v1/instance/attributes/*)
  file="$STUB_DIR/metadata/\${url##*/}"
  if [[ -f $file ]]; then emit <"$file"; code=200; else printf 'Not Found' | emit; code=404; fi
  if [[ -n $format ]]; then printf '%s' "$code"; fi ;;
http://metadata.google.internal/computeMetadata/v1/instance/service-accounts/default/token)
  printf '{"access_token":"stub-token","expires_in":3599,"token_type":"Bearer"}' | emit ;;
https://secretmanager.googleapis.com/v1/*)
  printf '{"name":"%s","payload":{"data":"%s"}}' "\${url#https://secretmanager.googleapis.com/v1/}" \
    "$(base64 -w0 <"$STUB_DIR/secret")" | emit ;;
https://dl.google.com/*)
  printf '#!/bin/bash\\necho google-cloud-ops-agent >>"$STUB_DIR/installed"\\n' | emit ;;
*)
  echo "curl: (6) Could not resolve host: $url" >&2
  exit 6 ;;
esac
`,
  dpkg: `#!/bin/bash
echo "$*" >>"$STUB_DIR/dpkg.calls"
`,
  docker: `#!/bin/bash
echo "$*" >>"$STUB_DIR/docker.calls"
if [[ $1 == login ]]; then cat >/dev/null; fi
`,
};

export interface BootRun {
  status: number | null;
  stderr: string;
}

/** A temporary VM file system the boot script runs in. */
export class BootSandbox {
  readonly dir: string;
  readonly root: string;
  readonly stubDir: string;
  readonly options: StartupScriptOptions;
  readonly nginxConf: string;
  private server?: ChildProcess;

  constructor(options: Omit<StartupScriptOptions, "rootDir">) {
    this.dir = mkdtempSync(path.join(os.tmpdir(), "foobar-boot-"));
    // nginx's workers run as www-data and must reach the web root under this directory.
    chmodSync(this.dir, 0o755);
    this.root = path.join(this.dir, "root");
    this.stubDir = path.join(this.dir, "stubs");
    this.options = { ...options, rootDir: this.root };
    this.nginxConf = path.join(this.root, "etc/nginx/nginx.conf");
    for (const sub of [
      "etc/nginx/sites-enabled",
      "etc/nginx/sites-available",
      "var/log/nginx",
      "run",
      "tmp",
    ]) {
      mkdirSync(path.join(this.root, sub), { recursive: true, mode: 0o755 });
    }
    mkdirSync(this.stubDir, { recursive: true });
    for (const [name, body] of Object.entries(stubs)) {
      writeFileSync(path.join(this.stubDir, name), body, { mode: 0o755 });
    }
    this.installDebianNginxConfig();
  }

  /**
   * Debian's own nginx.conf (and default site), as the nginx package leaves them, moved under the root:
   * the site must hold up against the package's http-level defaults, such as TLS 1.0 and 1.1 allowed.
   */
  private installDebianNginxConfig(): void {
    const local = (p: string) => path.join(this.root, p);
    const conf = readFileSync("/etc/nginx/nginx.conf", "utf8")
      .replace(/^pid .*$/m, `pid ${local("run/nginx.pid")};`)
      .replace(/\/var\/log\/nginx\//g, `${local("var/log/nginx")}/`)
      .replace(/\/etc\/nginx\/(conf\.d|sites-enabled)\//g, `${local("etc/nginx")}/$1/`);
    writeFileSync(this.nginxConf, conf);
    mkdirSync(local("etc/nginx/conf.d"), { recursive: true });
    writeFileSync(
      local("etc/nginx/sites-available/default"),
      "server { listen 127.0.0.1:1 default_server; }\n",
    );
    spawnSync("ln", [
      "-s",
      local("etc/nginx/sites-available/default"),
      local("etc/nginx/sites-enabled/default"),
    ]);
  }

  /** The instance's metadata attributes, as the metadata server would answer them. */
  setAttributes(attributes: Record<string, string>): void {
    const dir = path.join(this.stubDir, "metadata");
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir);
    for (const [key, value] of Object.entries(attributes)) writeFileSync(path.join(dir, key), value);
  }

  /** The value Secret Manager holds for any secret. */
  setSecret(value: string): void {
    writeFileSync(path.join(this.stubDir, "secret"), value);
  }

  /** Marks packages as already installed, as on a VM that booted before. */
  markInstalled(packages: string[]): void {
    writeFileSync(path.join(this.stubDir, "installed"), packages.map((p) => `${p}\n`).join(""));
  }

  script(): string {
    return renderStartupScript(this.options);
  }

  run(env: Record<string, string> = {}): BootRun {
    const result = spawnSync("bash", ["-c", this.script()], {
      env: {
        PATH: `${this.stubDir}:/usr/sbin:/usr/bin:/sbin:/bin`,
        STUB_DIR: this.stubDir,
        TMPDIR: path.join(this.root, "tmp"),
        ...env,
      },
      encoding: "utf8",
      timeout: 60_000,
    });
    return { status: result.status, stderr: result.stderr };
  }

  /** The calls a stand-in received, one string each. */
  calls(command: "apt-get" | "dpkg" | "systemctl" | "sleep" | "curl" | "docker"): string[] {
    const file = path.join(this.stubDir, `${command}.calls`);
    return existsSync(file) ? readFileSync(file, "utf8").split("\n").filter(Boolean) : [];
  }

  clearCalls(): void {
    for (const command of ["apt-get", "dpkg", "systemctl", "sleep", "curl", "docker"]) {
      rmSync(path.join(this.stubDir, `${command}.calls`), { force: true });
    }
  }

  file(relative: string): string {
    return path.join(this.root, relative);
  }

  /** Starts nginx in the foreground with the config the script wrote; resolves once it accepts TLS. */
  async startNginx(): Promise<void> {
    this.server = spawn("nginx", ["-c", this.nginxConf, "-g", "daemon off;"], { stdio: "ignore" });
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      if (await canConnect(this.options.listenAddress ?? "127.0.0.1", this.options.httpsPort)) return;
      if (this.server.exitCode !== null) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`nginx did not start: ${readFileSync(this.file("var/log/nginx/error.log"), "utf8")}`);
  }

  dumpNginxConfig(): string {
    return spawnSync("nginx", ["-T", "-c", this.nginxConf], { encoding: "utf8" }).stdout;
  }

  async dispose(): Promise<void> {
    if (this.server && this.server.exitCode === null) {
      const exited = new Promise((resolve) => this.server?.once("exit", resolve));
      this.server.kill("SIGQUIT");
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000))]);
      this.server.kill("SIGKILL");
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function canConnect(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.on("error", () => resolve(false));
  });
}

/** A free TCP port on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject()));
    });
  });
}

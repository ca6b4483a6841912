import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import { readFileSync, rmSync, statSync } from "fs";
import * as http from "http";
import * as http2 from "http2";
import * as tls from "tls";
import { renderStartupScript, webPackages } from "../../../components/web/startupScript";
import { BootSandbox, freePort, requireBootTools } from "./bootHarness";

const domain = "www.foobar.com";
const healthPath = "/healthz";

function tlsHandshake(
  port: number,
  versions: { min: tls.SecureVersion; max: tls.SecureVersion },
): Promise<{ protocol: string | null; alpn: string | false | null }> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({
      host: "127.0.0.1",
      port,
      servername: domain,
      minVersion: versions.min,
      maxVersion: versions.max,
      // Lets this client offer TLS 1.0/1.1 at all, so a refusal comes from the server.
      ciphers: "DEFAULT@SECLEVEL=0",
      ALPNProtocols: ["h2", "http/1.1"],
      rejectUnauthorized: false,
      timeout: 5_000,
    });
    socket.once("secureConnect", () => {
      resolve({ protocol: socket.getProtocol(), alpn: socket.alpnProtocol });
      socket.destroy();
    });
    socket.once("error", reject);
  });
}

function http2Get(
  port: number,
  requestPath: string,
): Promise<{ status: number; body: string; hsts?: string }> {
  return new Promise((resolve, reject) => {
    const client = http2.connect(`https://127.0.0.1:${port}`, {
      rejectUnauthorized: false,
      servername: domain,
    });
    client.once("error", reject);
    const request = client.request({ ":path": requestPath, ":authority": domain });
    let body = "";
    let status = 0;
    let hsts: string | undefined;
    request.setEncoding("utf8");
    request.on("response", (headers) => {
      status = Number(headers[":status"]);
      hsts = headers["strict-transport-security"] as string | undefined;
    });
    request.on("data", (chunk: string) => (body += chunk));
    request.on("end", () => {
      client.close();
      resolve({ status, body, hsts });
    });
    request.on("error", reject);
    request.end();
  });
}

function httpGet(port: number, requestPath: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: "127.0.0.1", port, path: requestPath, timeout: 5_000 }, (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (body += chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on("error", reject);
  });
}

/** A sandbox whose nginx would listen on a free loopback port. */
async function loopbackSandbox(): Promise<BootSandbox> {
  return new BootSandbox({ domain, httpsPort: await freePort(), healthPath, listenAddress: "127.0.0.1" });
}

describe("web VM boot script, run for real", function () {
  this.timeout(60_000);

  before(() => requireBootTools());

  it("has no shellcheck findings as the program renders it", () => {
    const script = renderStartupScript({ domain, httpsPort: 443, healthPath });
    const result = spawnSync("shellcheck", ["--severity=style", "--format=gcc", "-"], {
      input: script,
      encoding: "utf8",
    });
    assert.equal(result.stdout, "");
    assert.equal(result.status, 0);
  });

  it("refuses values that would break out of the script or the nginx config", () => {
    assert.throws(
      () => renderStartupScript({ domain: "x.com'; rm -rf /", httpsPort: 443, healthPath }),
      /^Error: Cannot render a startup script for domain x\.com'; rm -rf \/ and health path \/healthz\.$/,
    );
    assert.throws(
      () => renderStartupScript({ domain, httpsPort: 443, healthPath: "/a;b" }),
      /health path \/a;b\./,
    );
  });

  describe("on a first boot, then serving with Debian's nginx", () => {
    let sandbox: BootSandbox;
    let httpsPort: number;
    let statusPort: number;

    before(async () => {
      httpsPort = await freePort();
      statusPort = await freePort();
      sandbox = new BootSandbox({ domain, httpsPort, healthPath, listenAddress: "127.0.0.1", statusPort });
      const run = sandbox.run();
      assert.equal(run.status, 0, run.stderr);
      await sandbox.startNginx();
    });

    after(async () => sandbox?.dispose());

    it("installs the packages once, with apt's failures and locks taken into account", () => {
      assert.deepEqual(sandbox.calls("apt-get"), [
        "-q -y -o DPkg::Lock::Timeout=120 -o Acquire::http::Timeout=30 update --error-on=any",
        `-q -y -o DPkg::Lock::Timeout=120 -o Acquire::http::Timeout=30 install --no-install-recommends ${webPackages.join(" ")}`,
      ]);
      const downloads = sandbox.calls("curl").filter((c) => !c.includes("metadata.google.internal"));
      assert.equal(downloads.length, 1);
      assert.match(
        downloads[0],
        /^-sSfL --max-time 60 -o \S+ https:\/\/dl\.google\.com\/cloudagents\/add-google-cloud-ops-agent-repo\.sh$/,
      );
      assert.deepEqual(sandbox.calls("docker"), [], "no container without an image");
      assert.deepEqual(
        sandbox.calls("dpkg"),
        ["--configure -a"],
        "a half-finished install is repaired first",
      );
      assert.deepEqual(sandbox.calls("systemctl"), [
        "enable --quiet nginx",
        "restart nginx",
        "restart google-cloud-ops-agent",
      ]);
    });

    it("answers the health check over TLS 1.2 and TLS 1.3, negotiating HTTP/2", async () => {
      for (const version of ["TLSv1.2", "TLSv1.3"] as const) {
        const handshake = await tlsHandshake(httpsPort, { min: version, max: version });
        assert.deepEqual(handshake, { protocol: version, alpn: "h2" });
      }
      const health = await http2Get(httpsPort, healthPath);
      assert.deepEqual([health.status, health.body], [200, "ok\n"]);
    });

    it("refuses TLS 1.0 and 1.1, though Debian's nginx.conf allows them", async () => {
      for (const version of ["TLSv1", "TLSv1.1"] as const) {
        await assert.rejects(
          tlsHandshake(httpsPort, { min: version, max: version }),
          /alert protocol version/,
        );
      }
    });

    it("keeps idle connections open longer than the load balancer's 600 s", () => {
      const timeouts = [...sandbox.dumpNginxConfig().matchAll(/^\s*keepalive_timeout\s+(\d+)s?;/gm)].map(
        (m) => Number(m[1]),
      );
      // Debian's nginx.conf sets none, so the only one is the site's.
      assert.deepEqual(timeouts, [620]);
    });

    it("serves the site with HSTS, and its own certificate for the domain", async () => {
      const page = await http2Get(httpsPort, "/");
      assert.equal(page.status, 200);
      assert.match(page.body, /<h1>www\.foobar\.com<\/h1>/);
      assert.equal(page.hsts, "max-age=31536000; includeSubDomains");
      const certificate = spawnSync(
        "openssl",
        [
          "x509",
          "-noout",
          "-subject",
          "-ext",
          "subjectAltName",
          "-in",
          sandbox.file("etc/nginx/tls/backend.crt"),
        ],
        { encoding: "utf8" },
      ).stdout;
      assert.match(certificate, /subject=CN = www\.foobar\.com/);
      assert.match(certificate, /DNS:www\.foobar\.com/);
      assert.equal(statSync(sandbox.file("etc/nginx/tls/backend.key")).mode & 0o777, 0o600);
    });

    it("serves the status page on loopback only and keeps it out of the access log", async () => {
      const status = await httpGet(statusPort, "/nginx_status");
      assert.equal(status.status, 200);
      assert.match(status.body, /^Active connections: \d+/);
      await http2Get(httpsPort, "/index.html");
      // nginx logs a request after answering it.
      let accessLog = "";
      for (let i = 0; i < 50 && !accessLog.includes("/index.html"); i++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        accessLog = readFileSync(sandbox.file("var/log/nginx/access.log"), "utf8");
      }
      assert.match(accessLog, /"GET \/index\.html HTTP\/2\.0" 200/);
      assert.doesNotMatch(accessLog, /nginx_status|healthz/);
    });

    it("removes Debian's default site", () => {
      assert.throws(() => statSync(sandbox.file("etc/nginx/sites-enabled/default")), /ENOENT/);
    });

    it("on a reboot, reinstalls nothing, keeps the certificate and restarts nothing", () => {
      const certificate = readFileSync(sandbox.file("etc/nginx/tls/backend.crt"), "utf8");
      const site = statSync(sandbox.file("etc/nginx/sites-available/foobar")).mtimeMs;
      sandbox.clearCalls();
      const run = sandbox.run();
      assert.equal(run.status, 0, run.stderr);
      assert.deepEqual(sandbox.calls("apt-get"), []);
      assert.deepEqual(sandbox.calls("dpkg"), []);
      assert.deepEqual(
        sandbox.calls("curl").filter((c) => !c.includes("metadata.google.internal")),
        [],
      );
      assert.deepEqual(sandbox.calls("systemctl"), [
        "enable --quiet nginx",
        "start nginx",
        "start google-cloud-ops-agent",
      ]);
      assert.equal(readFileSync(sandbox.file("etc/nginx/tls/backend.crt"), "utf8"), certificate);
      assert.equal(statSync(sandbox.file("etc/nginx/sites-available/foobar")).mtimeMs, site);
    });

    it("remakes the certificate and key together when the key is missing", () => {
      const certificate = readFileSync(sandbox.file("etc/nginx/tls/backend.crt"), "utf8");
      rmSync(sandbox.file("etc/nginx/tls/backend.key"));
      sandbox.clearCalls();
      const run = sandbox.run();
      assert.equal(run.status, 0, run.stderr);
      assert.notEqual(readFileSync(sandbox.file("etc/nginx/tls/backend.crt"), "utf8"), certificate);
      const publicKey = (args: string[]) => spawnSync("openssl", args, { encoding: "utf8" }).stdout;
      const fromCertificate = publicKey([
        "x509",
        "-in",
        sandbox.file("etc/nginx/tls/backend.crt"),
        "-noout",
        "-pubkey",
      ]);
      const fromKey = publicKey(["pkey", "-in", sandbox.file("etc/nginx/tls/backend.key"), "-pubout"]);
      assert.match(fromKey, /BEGIN PUBLIC KEY/);
      assert.equal(fromCertificate, fromKey);
      assert.deepEqual(sandbox.calls("systemctl").slice(1, 2), ["restart nginx"]);
    });
  });

  describe("with an application image and the database's attributes", () => {
    const image = "us-docker.pkg.dev/foobar-web-test/site/app:1.0";
    const password = "s3cr3t-Passw0rd_value.~!#%";
    const secretVersion = "projects/123456789012/secrets/foobar-db-app-password/versions/3";
    let sandbox: BootSandbox;
    let httpsPort: number;
    let appPort: number;
    let app: http.Server | undefined;
    let run: { status: number | null; stderr: string };

    before(async () => {
      httpsPort = await freePort();
      appPort = await freePort();
      sandbox = new BootSandbox({ domain, httpsPort, healthPath, listenAddress: "127.0.0.1", appPort });
      sandbox.setAttributes({
        "foobar-app-image": image,
        "foobar-db-host": "10.20.0.3",
        "foobar-db-read-hosts": "10.20.0.5,10.20.0.6",
        "foobar-db-name": "foobar",
        "foobar-db-user": "foobar_app",
        "foobar-db-server-ca": "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n",
        "foobar-db-password-secret": secretVersion,
      });
      sandbox.setSecret(password);
      run = sandbox.run();
      assert.equal(run.status, 0, run.stderr);
    });

    after(async () => {
      await new Promise((resolve) => (app ? app.close(resolve) : resolve(undefined)));
      await sandbox?.dispose();
    });

    it("installs the container runtime and pulls the image with the VM's own identity", () => {
      assert.deepEqual(sandbox.calls("apt-get")[1].split(" ").slice(-5), [
        "nginx",
        "openssl",
        "curl",
        "jq",
        "docker.io",
      ]);
      assert.deepEqual(sandbox.calls("docker"), [
        "login -u oauth2accesstoken --password-stdin https://us-docker.pkg.dev",
        `pull -q ${image}`,
      ]);
      assert.ok(
        sandbox
          .calls("curl")
          .includes(
            `-sSf --max-time 30 -H @- https://secretmanager.googleapis.com/v1/${secretVersion}:access`,
          ),
      );
      assert.ok(
        sandbox.calls("curl").every((call) => !call.includes("stub-token")),
        "the access token never appears on a command line",
      );
    });

    it("gives the container the database's address, user, CA and password through a root-only file", () => {
      const env = sandbox.file("etc/foobar/app.env");
      assert.equal(statSync(env).mode & 0o777, 0o600);
      assert.equal(
        readFileSync(env, "utf8"),
        [
          "PORT=8080",
          "DB_HOST=10.20.0.3",
          "DB_READ_HOSTS=10.20.0.5,10.20.0.6",
          "DB_NAME=foobar",
          "DB_USER=foobar_app",
          `DB_PASSWORD=${password}`,
          "DB_CA_FILE=/etc/foobar/server-ca.pem",
          "",
        ].join("\n"),
      );
      assert.equal(statSync(sandbox.file("etc/foobar")).mode & 0o777, 0o700);
      assert.equal(statSync(sandbox.file("etc/foobar/db-password")).mode & 0o777, 0o600);
      assert.ok(!run.stderr.includes(password), "the password is never logged");
    });

    it("keeps the container running on loopback only, restarted on failure", () => {
      const unit = readFileSync(sandbox.file("etc/systemd/system/foobar-app.service"), "utf8");
      assert.match(unit, new RegExp(`--publish 127\\.0\\.0\\.1:${appPort}:8080 `));
      assert.match(unit, /^Restart=always$/m);
      assert.match(
        unit,
        new RegExp(`--security-opt no-new-privileges ${image.replace(/[.]/g, "\\.")}$`, "m"),
      );
      assert.deepEqual(
        sandbox.calls("systemctl").filter((c) => c.includes("foobar-app") || c === "daemon-reload"),
        ["daemon-reload", "enable --quiet foobar-app", "restart foobar-app"],
      );
    });

    it("proxies the site and the health check to the application, so a dead application fails the check", async () => {
      app = http.createServer((req, res) => {
        res.writeHead(200, { "content-type": "text/plain" });
        res.end(req.url === "/healthz" ? "app healthy" : `app page for ${req.headers["x-forwarded-proto"]}`);
      });
      await new Promise<void>((resolve) => app?.listen(appPort, "127.0.0.1", resolve));
      await sandbox.startNginx();
      const page = await http2Get(httpsPort, "/");
      assert.deepEqual([page.status, page.body], [200, "app page for https"]);
      const health = await http2Get(httpsPort, healthPath);
      assert.deepEqual([health.status, health.body], [200, "app healthy"]);
      await new Promise((resolve) => app?.close(resolve));
      app = undefined;
      const down = await http2Get(httpsPort, healthPath);
      assert.equal(down.status, 502);
    });
  });

  describe("without egress at first", () => {
    let sandbox: BootSandbox;
    before(async () => {
      sandbox = await loopbackSandbox();
    });
    after(async () => sandbox?.dispose());

    it("retries apt with backoff until the network is there, then completes", () => {
      const run = sandbox.run({ APT_FAILURES: "5" });
      assert.equal(run.status, 0, run.stderr);
      const updates = sandbox.calls("apt-get").filter((c) => c.includes(" update "));
      assert.equal(updates.length, 6);
      assert.deepEqual(sandbox.calls("sleep"), ["5", "10", "20", "40", "60"]);
      assert.match(run.stderr, /^foobar-boot: apt-get update: attempt 5 failed; retrying in 60 s$/m);
      assert.ok(sandbox.calls("apt-get").some((c) => c.includes(" install ")));
      assert.match(
        readFileSync(sandbox.file("etc/nginx/sites-available/foobar"), "utf8"),
        /keepalive_timeout 620s;/,
      );
    });
  });

  describe("when the network never comes", () => {
    let sandbox: BootSandbox;
    before(async () => {
      sandbox = await loopbackSandbox();
    });
    after(async () => sandbox?.dispose());

    it("gives up after its retry budget with one line that says what failed", () => {
      const run = sandbox.run({ APT_FAILURES: "1000" });
      assert.equal(run.status, 1);
      const failures = run.stderr.split("\n").filter((line) => line.includes("FAILED"));
      assert.deepEqual(failures, ["foobar-boot: FAILED: apt-get update: gave up after 11 attempts in 435 s"]);
      const slept = sandbox.calls("sleep").reduce((sum, s) => sum + Number(s), 0);
      assert.equal(slept, 435);
      assert.throws(() => statSync(sandbox.file("etc/nginx/sites-available/foobar")), /ENOENT/);
    });
  });
});

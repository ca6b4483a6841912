import { bootPaths, renderNginxSite } from "./boot/nginxSite";
import { renderOpsAgentConfig } from "./boot/opsAgentConfig";
import { renderAppFunctions, renderAppSteps } from "./boot/appContainer";
import { instanceAttributes } from "./boot/instanceAttributes";

export interface StartupScriptOptions {
  /** Host name nginx answers to and puts in its certificate. */
  domain: string;
  /** Port nginx serves HTTPS on (the port the load balancer's backend service uses). */
  httpsPort: number;
  /** Path the load balancer's and the autohealer's health checks request. */
  healthPath: string;
  /**
   * Directory every file goes under. "" (the default) on a VM; the boot tests run the script under a
   * temporary directory with stand-ins for apt-get and systemctl.
   */
  rootDir?: string;
  /** Address nginx binds the site to. Default: every address (the VM has only its private one). */
  listenAddress?: string;
  /** Loopback port of nginx's status page, which only the Ops Agent reads. Default 8080. */
  statusPort?: number;
  /** Loopback port the application container is published on, when the VM runs one. Default 8081. */
  appPort?: number;
  /**
   * How long, in seconds, the script keeps retrying steps that need the internet before it gives up.
   * Default 480: Cloud NAT is usually ready within a minute or two, and the autohealer's initial delay
   * (600 s) must outlast this, or it recreates a VM that would have recovered.
   */
  retryBudgetSeconds?: number;
}

/** The packages the VM runs the site with; jq reads the metadata server's and Secret Manager's answers. */
export const webPackages = ["nginx", "openssl", "curl", "jq"];

/** The container runtime, from Debian's packages, installed only on VMs that run an application. */
export const containerPackages = ["docker.io"];

const opsAgentInstallerUrl = "https://dl.google.com/cloudagents/add-google-cloud-ops-agent-repo.sh";

/** Throws unless every value is safe to put in a shell script and an nginx config as it is. */
function checkOptions(options: StartupScriptOptions): void {
  const { domain, healthPath, rootDir = "", listenAddress, httpsPort } = options;
  const ports = [httpsPort, options.statusPort ?? 8080, options.appPort ?? 8081];
  if (
    !/^[a-z0-9.-]+$/.test(domain) ||
    !/^\/[A-Za-z0-9/_-]*$/.test(healthPath) ||
    !/^(\/[A-Za-z0-9._-]+)*$/.test(rootDir) ||
    (listenAddress !== undefined && !/^[0-9.]+$/.test(listenAddress)) ||
    ports.some((p) => !Number.isInteger(p) || p < 1 || p > 65535)
  ) {
    throw new Error(`Cannot render a startup script for domain ${domain} and health path ${healthPath}.`);
  }
}

/**
 * The boot script of a web VM, run by Compute Engine at every boot. It serves the site over TLS (so traffic
 * stays encrypted between the load balancer and the VM) and runs the Google Cloud Ops Agent.
 *
 * - A VM may boot before Cloud NAT gives it egress, so every step that needs the internet is retried with
 *   backoff (apt's update treats failed downloads as errors, as it otherwise exits 0 on them) and apt waits
 *   for a lock another apt process holds.
 * - It is idempotent: nothing is reinstalled when the packages are there, the backend certificate and key
 *   are remade together when either is missing or the certificate is near expiry, and configs are written
 *   (and services restarted) only when they change.
 * - A failure it cannot recover from ends it with one log line that says what failed, which the
 *   autohealer then acts on: the health check never passes, and the VM is recreated.
 *
 * The backend certificate is made on the VM, so no private key ever passes through Pulumi or instance
 * metadata; Google's front end encrypts to backends without validating their certificates.
 */
export function renderStartupScript(options: StartupScriptOptions): string {
  checkOptions(options);
  const { domain, httpsPort, healthPath } = options;
  const statusPort = options.statusPort ?? 8080;
  const paths = bootPaths(options.rootDir ?? "");
  const appPort = options.appPort ?? 8081;
  const siteOptions = {
    domain,
    httpsPort,
    healthPath,
    statusPort,
    listenAddress: options.listenAddress,
    paths,
  };
  const staticSite = renderNginxSite(siteOptions);
  const proxiedSite = renderNginxSite({ ...siteOptions, appPort });
  return `#!/bin/bash
# Boot script of a foobar web VM; Compute Engine runs it at every boot.
set -Eeuo pipefail

readonly root="${paths.root}"
readonly tls_dir="${paths.tlsDir}"
readonly web_root="${paths.webRoot}"
readonly nginx_dir="${paths.nginxDir}"
readonly ops_agent_dir="${paths.opsAgentDir}"
readonly app_dir="${paths.appDir}"
readonly systemd_dir="${paths.systemdDir}"
readonly retry_budget_seconds=${options.retryBudgetSeconds ?? 480}
export DEBIAN_FRONTEND=noninteractive

log() { echo "foobar-boot: $*" >&2; }
fail() {
  log "FAILED: $*"
  exit 1
}
step="starting"
trap 'fail "$step (exit $?)"' ERR

# Seconds spent so far: the time slept, or the time this script has run when that is more. Every attempt
# has its own time limit, so the budget bounds the whole boot.
slept=0
spent() { echo $((SECONDS > slept ? SECONDS : slept)); }

# retry WHAT COMMAND...: runs COMMAND until it succeeds, waiting 5, 10, 20, 40, then 60 s between tries,
# until the script's retry budget is spent.
retry() {
  local what=$1 attempt=1 delay=5
  shift
  until "$@"; do
    if (($(spent) + delay > retry_budget_seconds)); then
      fail "$what: gave up after $attempt attempts in $(spent) s"
    fi
    log "$what: attempt $attempt failed; retrying in $delay s"
    sleep "$delay"
    slept=$((slept + delay))
    attempt=$((attempt + 1))
    delay=$((delay * 2 > 60 ? 60 : delay * 2))
  done
}

# Waits up to 2 minutes for a lock another apt or dpkg process holds rather than failing at once, and
# gives up on a silent mirror after 30 s, so one attempt cannot eat the retry budget.
apt_get() { apt-get -q -y -o DPkg::Lock::Timeout=120 -o Acquire::http::Timeout=30 "$@"; }

missing_packages() {
  local package
  for package in "$@"; do
    dpkg-query -W -f='\${db:Status-Status}' "$package" 2>/dev/null | grep -qx installed || echo "$package"
  done
}

# write_if_changed PATH MODE < CONTENT: replaces PATH only when CONTENT differs; true when it did.
write_if_changed() {
  local target=$1 mode=$2 staged
  staged=$(mktemp "$target.XXXXXX")
  cat >"$staged"
  if [[ -f $target ]] && cmp -s "$staged" "$target"; then
    rm -f "$staged"
    return 1
  fi
  chmod "$mode" "$staged"
  mv -f "$staged" "$target"
}

# metadata_attribute KEY FILE: the instance attribute into FILE, empty when the VM has none. Fails on any
# other answer, so retry tries again.
metadata_attribute() {
  local code
  code=$(curl -sS --max-time 10 -o "$2" -w '%{http_code}' -H 'Metadata-Flavor: Google' \
    "http://metadata.google.internal/computeMetadata/v1/instance/attributes/$1") || return 1
  case $code in
  200) ;;
  404) : >"$2" ;;
  *) return 1 ;;
  esac
}

${renderAppFunctions(appPort)}
step="reading the instance's attributes"
attributes=$(mktemp -d)
for attribute in ${Object.values(instanceAttributes).join(" ")}; do
  retry "reading instance attribute $attribute" metadata_attribute "$attribute" "$attributes/$attribute"
done
app_image=$(<"$attributes/${instanceAttributes.appImage}")
if [[ -n $app_image && ! $app_image =~ ^[A-Za-z0-9._/:@-]+$ ]]; then
  fail "instance attribute ${instanceAttributes.appImage} is not an image reference: $app_image"
fi

packages=(${webPackages.join(" ")})
if [[ -n $app_image ]]; then packages+=(${containerPackages.join(" ")}); fi
step="installing \${packages[*]}"
mapfile -t missing < <(missing_packages "\${packages[@]}")
if ((\${#missing[@]} > 0)); then
  # An install a reboot cut short leaves dpkg half-configured, and every later install would fail.
  dpkg --configure -a
  # --error-on=any: without it, apt-get update exits 0 when no repository could be reached.
  retry "apt-get update" apt_get update --error-on=any
  retry "apt-get install \${missing[*]}" apt_get install --no-install-recommends "\${missing[@]}"
fi

step="making the backend certificate"
install -d -m 0700 "$tls_dir"
if [[ ! -s $tls_dir/backend.key || ! -s $tls_dir/backend.crt ]] ||
  ! openssl x509 -in "$tls_dir/backend.crt" -noout -checkend 2592000 >/dev/null; then
  openssl req -x509 -nodes -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -days 825 \\
    -subj "/CN=${domain}" -addext "subjectAltName=DNS:${domain}" \\
    -keyout "$tls_dir/backend.key.new" -out "$tls_dir/backend.crt.new" 2>/dev/null
  chmod 0600 "$tls_dir/backend.key.new"
  mv -f "$tls_dir/backend.key.new" "$tls_dir/backend.key"
  mv -f "$tls_dir/backend.crt.new" "$tls_dir/backend.crt"
  nginx_changed=1
fi

step="configuring nginx"
install -d "$web_root" "$nginx_dir/sites-available" "$nginx_dir/sites-enabled"
write_if_changed "$web_root/index.html" 0644 <<'HTML' || true
<!doctype html>
<html><head><title>${domain}</title></head><body><h1>${domain}</h1></body></html>
HTML
if [[ -n $app_image ]]; then
  if write_if_changed "$nginx_dir/sites-available/foobar" 0644 <<'NGINX'; then
${proxiedSite}NGINX
    nginx_changed=1
  fi
elif write_if_changed "$nginx_dir/sites-available/foobar" 0644 <<'NGINX'; then
${staticSite}NGINX
  nginx_changed=1
fi
if [[ -e $nginx_dir/sites-enabled/default ]]; then
  rm -f "$nginx_dir/sites-enabled/default"
  nginx_changed=1
fi
if [[ ! -L $nginx_dir/sites-enabled/foobar ]]; then
  ln -sfn "$nginx_dir/sites-available/foobar" "$nginx_dir/sites-enabled/foobar"
  nginx_changed=1
fi
${renderAppSteps()}
step="starting nginx"
nginx -t -q -c "$nginx_dir/nginx.conf"
systemctl enable --quiet nginx
if [[ -n \${nginx_changed:-} ]]; then
  systemctl restart nginx
else
  systemctl start nginx
fi

step="installing the Ops Agent"
if [[ -n $(missing_packages google-cloud-ops-agent) ]]; then
  installer=$(mktemp)
  retry "downloading the Ops Agent installer" curl -sSfL --max-time 60 -o "$installer" ${opsAgentInstallerUrl}
  retry "installing the Ops Agent" timeout 600 bash "$installer" --also-install
  rm -f "$installer"
fi

step="configuring the Ops Agent"
install -d "$ops_agent_dir"
if write_if_changed "$ops_agent_dir/config.yaml" 0644 <<'OPS'; then
${renderOpsAgentConfig(statusPort)}OPS
  systemctl restart google-cloud-ops-agent
else
  systemctl start google-cloud-ops-agent
fi

rm -rf "$attributes"
log "ready: nginx serves ${domain} on port ${httpsPort}\${app_image:+ from $app_image}, health at ${healthPath}\${root:+ (under $root)}"
`;
}

export interface StartupScriptOptions {
  /** Host name nginx answers to and puts in its certificate. */
  domain: string;
  /** Port nginx serves HTTPS on (the port the load balancer's backend service uses). */
  httpsPort: number;
  /** Path the load balancer's health check requests. */
  healthPath: string;
}

// Port of nginx's status page, bound to loopback, which only the Ops Agent's nginx receiver reads.
const statusPort = 8080;

/**
 * The boot script of a web VM: nginx serving the site over TLS (so traffic stays encrypted between the load
 * balancer and the VM) and the Google Cloud Ops Agent reporting host metrics and nginx's request rate.
 * The backend certificate is made on the VM at first boot, so no private key ever passes through Pulumi or
 * instance metadata; Google's front end encrypts to backends without validating their certificates.
 */
export function renderStartupScript(options: StartupScriptOptions): string {
  const { domain, httpsPort, healthPath } = options;
  if (!/^[a-z0-9.-]+$/.test(domain) || !/^\/[A-Za-z0-9/_-]*$/.test(healthPath)) {
    throw new Error(`Cannot render a startup script for domain ${domain} and health path ${healthPath}.`);
  }
  return `#!/bin/bash
set -euo pipefail

export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y nginx openssl curl

tls_dir=/etc/nginx/tls
install -d -m 0700 "$tls_dir"
if [ ! -s "$tls_dir/backend.key" ]; then
  openssl req -x509 -nodes -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -days 825 \\
    -subj "/CN=${domain}" -addext "subjectAltName=DNS:${domain}" \\
    -keyout "$tls_dir/backend.key" -out "$tls_dir/backend.crt"
  chmod 0600 "$tls_dir/backend.key"
fi

install -d /var/www/foobar
cat > /var/www/foobar/index.html <<'HTML'
<!doctype html>
<html><head><title>${domain}</title></head><body><h1>${domain}</h1></body></html>
HTML

rm -f /etc/nginx/sites-enabled/default
cat > /etc/nginx/sites-available/foobar <<'NGINX'
server {
  listen ${httpsPort} ssl http2 default_server;
  server_name ${domain};
  ssl_certificate /etc/nginx/tls/backend.crt;
  ssl_certificate_key /etc/nginx/tls/backend.key;
  ssl_protocols TLSv1.2 TLSv1.3;
  ssl_prefer_server_ciphers on;
  add_header Strict-Transport-Security "max-age=31536000; includeSubDomains" always;
  root /var/www/foobar;

  location = ${healthPath} {
    access_log off;
    default_type text/plain;
    return 200 "ok\\n";
  }
}

server {
  listen 127.0.0.1:${statusPort};
  location = /nginx_status {
    stub_status;
    allow 127.0.0.1;
    deny all;
  }
}
NGINX
ln -sf /etc/nginx/sites-available/foobar /etc/nginx/sites-enabled/foobar
nginx -t
systemctl enable nginx
systemctl restart nginx

if ! systemctl is-active --quiet google-cloud-ops-agent; then
  curl -sSfo /tmp/add-google-cloud-ops-agent-repo.sh https://dl.google.com/cloudagents/add-google-cloud-ops-agent-repo.sh
  bash /tmp/add-google-cloud-ops-agent-repo.sh --also-install
fi
cat > /etc/google-cloud-ops-agent/config.yaml <<'OPS'
metrics:
  receivers:
    nginx:
      type: nginx
      stub_status_url: http://127.0.0.1:${statusPort}/nginx_status
  service:
    pipelines:
      nginx:
        receivers: [nginx]
logging:
  receivers:
    nginx_access:
      type: nginx_access
    nginx_error:
      type: nginx_error
  service:
    pipelines:
      nginx:
        receivers: [nginx_access, nginx_error]
OPS
systemctl restart google-cloud-ops-agent
`;
}

/** Where the boot script puts things on a VM (every path under `root`, which is "" on a real VM). */
export interface BootPaths {
  root: string;
  tlsDir: string;
  webRoot: string;
  nginxDir: string;
  opsAgentDir: string;
  /** The application's environment file and the database's server CA, root-only. */
  appDir: string;
  systemdDir: string;
}

export function bootPaths(root: string): BootPaths {
  return {
    root,
    tlsDir: `${root}/etc/nginx/tls`,
    webRoot: `${root}/var/www/foobar`,
    nginxDir: `${root}/etc/nginx`,
    opsAgentDir: `${root}/etc/google-cloud-ops-agent`,
    appDir: `${root}/etc/foobar`,
    systemdDir: `${root}/etc/systemd/system`,
  };
}

export interface NginxSiteOptions {
  domain: string;
  httpsPort: number;
  healthPath: string;
  /** Address nginx binds the site to; undefined binds every address, as on a VM. */
  listenAddress?: string;
  /** Loopback port of the status page the Ops Agent reads. */
  statusPort: number;
  /** Loopback port the application container is published on; undefined serves the built-in page. */
  appPort?: number;
  paths: BootPaths;
}

/**
 * Google's global external Application Load Balancer keeps idle connections to backends open for 600 s and
 * asks that backends keep theirs open longer, or it may reuse a connection the backend has just closed and
 * answer 502 ("HTTP keepalive timeout", https://cloud.google.com/load-balancing/docs/https#timeouts_and_retries).
 * nginx's default is 75 s.
 */
export const backendKeepaliveSeconds = 620;

/**
 * The nginx site: the pages over TLS 1.2/1.3 with HTTP/2, the health endpoint the load balancer and the
 * autohealer request, and the loopback status page the Ops Agent's nginx receiver reads. Server-level
 * directives override Debian's http-level defaults (which still allow TLS 1.0 and 1.1).
 */
export function renderNginxSite(options: NginxSiteOptions): string {
  const { domain, httpsPort, healthPath, statusPort, paths } = options;
  const listen = options.listenAddress ? `${options.listenAddress}:${httpsPort}` : `${httpsPort}`;
  return `server {
  listen ${listen} ssl http2 default_server;
  server_name ${domain};
  ssl_certificate ${paths.tlsDir}/backend.crt;
  ssl_certificate_key ${paths.tlsDir}/backend.key;
  ssl_protocols TLSv1.2 TLSv1.3;
  ssl_prefer_server_ciphers on;
  ssl_session_cache shared:foobar_tls:10m;
  keepalive_timeout ${backendKeepaliveSeconds}s;
  add_header Strict-Transport-Security "max-age=31536000; includeSubDomains" always;
  root ${paths.webRoot};

${options.appPort === undefined ? staticSite(healthPath) : proxiedSite(healthPath, options.appPort)}}

server {
  listen 127.0.0.1:${statusPort};
  access_log off;
  location = /nginx_status {
    stub_status;
    allow 127.0.0.1;
    deny all;
  }
}
`;
}

/** The built-in page, and a health endpoint that answers while nginx does. */
function staticSite(healthPath: string): string {
  return `  location = ${healthPath} {
    access_log off;
    default_type text/plain;
    return 200 "ok\\n";
  }

  location / {
    try_files $uri $uri/ =404;
  }
`;
}

/**
 * The application on loopback. The health endpoint is the application's own, so the load balancer and the
 * autohealer act when the application (not just nginx) stops answering.
 */
function proxiedSite(healthPath: string, appPort: number): string {
  const upstream = `http://127.0.0.1:${appPort}`;
  return `  proxy_http_version 1.1;
  proxy_set_header Connection "";
  proxy_set_header Host $host;
  proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
  proxy_set_header X-Forwarded-Proto https;

  location = ${healthPath} {
    access_log off;
    proxy_connect_timeout 2s;
    proxy_read_timeout 4s;
    proxy_pass ${upstream};
  }

  location / {
    proxy_pass ${upstream};
  }
`;
}

import { instanceAttributes as attr } from "./instanceAttributes";

/** The port the application listens on inside its container, given to it as PORT. */
export const appContainerPort = 8080;

/**
 * Bash functions of the boot script for the application: reading the database password from Secret
 * Manager with the VM's own identity, pulling the image, and the systemd unit that keeps the container
 * running on loopback. The password only ever reaches a root-only file; nothing here prints it.
 */
export function renderAppFunctions(appPort: number): string {
  const metadata = "http://metadata.google.internal/computeMetadata/v1";
  return `# access_token: the VM service account's OAuth token, from the metadata server.
access_token() {
  curl -sSf --max-time 10 -H 'Metadata-Flavor: Google' "${metadata}/instance/service-accounts/default/token" |
    jq -er .access_token
}

# fetch_db_password VERSION TARGET: that secret version into TARGET, readable by root only. The header
# goes through stdin, so the token never shows in the process list.
fetch_db_password() {
  local token response
  token=$(access_token) || return 1
  response=$(curl -sSf --max-time 30 -H @- "https://secretmanager.googleapis.com/v1/$1:access" \\
    <<<"Authorization: Bearer $token") || return 1
  (umask 077 && jq -er .payload.data <<<"$response" | base64 -d >"$2.new") || return 1
  mv -f "$2.new" "$2"
}

# pull_app_image IMAGE: logs in to Artifact Registry with the VM's identity when the image lives there.
pull_app_image() {
  local registry=\${1%%/*} token
  if [[ $registry == *-docker.pkg.dev ]]; then
    token=$(access_token) || return 1
    docker login -u oauth2accesstoken --password-stdin "https://$registry" <<<"$token" >/dev/null || return 1
  fi
  timeout 600 docker pull -q "$1" >/dev/null
}

# The application's environment: where the database is, and its password (the file is root-only; docker
# reads it as root and hands the values to the container).
app_environment() {
  printf 'PORT=%s\\n' ${appContainerPort}
  printf 'DB_HOST=%s\\n' "$(<"$attributes/${attr.dbHost}")"
  printf 'DB_READ_HOSTS=%s\\n' "$(<"$attributes/${attr.dbReadHosts}")"
  printf 'DB_NAME=%s\\n' "$(<"$attributes/${attr.dbName}")"
  printf 'DB_USER=%s\\n' "$(<"$attributes/${attr.dbUser}")"
  if [[ -s $app_dir/db-password ]]; then
    printf 'DB_PASSWORD=%s\\n' "$(<"$app_dir/db-password")"
  fi
  printf 'DB_CA_FILE=/etc/foobar/server-ca.pem\\n'
}

app_unit() {
  cat <<UNIT
[Unit]
Description=foobar application container, on loopback behind nginx
Wants=network-online.target
After=docker.service network-online.target
Requires=docker.service

[Service]
ExecStartPre=-/usr/bin/docker rm -f foobar-app
ExecStart=/usr/bin/docker run --rm --name foobar-app --publish 127.0.0.1:${appPort}:${appContainerPort} --env-file $app_dir/app.env --volume $app_dir/server-ca.pem:/etc/foobar/server-ca.pem:ro --security-opt no-new-privileges $app_image
ExecStop=/usr/bin/docker stop foobar-app
Restart=always
RestartSec=5

[Install]
WantedBy=multi-user.target
UNIT
}
`;
}

/** The boot script's steps for the application, run only when the VM has an image to run. */
export function renderAppSteps(): string {
  return `if [[ -n $app_image ]]; then
  step="reading the database password"
  install -d -m 0700 "$app_dir"
  password_secret=$(<"$attributes/${attr.dbPasswordSecret}")
  if [[ -n $password_secret ]]; then
    [[ $password_secret =~ ^projects/[^/]+/secrets/[A-Za-z0-9_-]+/versions/[0-9]+$ ]] ||
      fail "instance attribute ${attr.dbPasswordSecret} is not a secret version: $password_secret"
    retry "reading the database password from Secret Manager" fetch_db_password "$password_secret" "$app_dir/db-password"
  fi

  step="configuring the application"
  if write_if_changed "$app_dir/server-ca.pem" 0644 <"$attributes/${attr.dbServerCa}"; then app_changed=1; fi
  if app_environment | write_if_changed "$app_dir/app.env" 0600; then app_changed=1; fi
  install -d "$systemd_dir"
  if app_unit | write_if_changed "$systemd_dir/foobar-app.service" 0644; then app_changed=1; fi

  step="starting the application"
  retry "pulling $app_image" pull_app_image "$app_image"
  systemctl daemon-reload
  systemctl enable --quiet foobar-app
  if [[ -n \${app_changed:-} ]]; then
    systemctl restart foobar-app
  else
    systemctl start foobar-app
  fi
fi
`;
}

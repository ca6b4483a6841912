/**
 * Instance metadata attributes the web tier gives its VMs and the boot script reads from the metadata
 * server. None of them is a credential: the database password stays in Secret Manager, and only the name
 * of the secret version to read travels here (so a new password changes the template and rolls out).
 */
export const instanceAttributes = {
  appImage: "foobar-app-image",
  dbHost: "foobar-db-host",
  dbReadHosts: "foobar-db-read-hosts",
  dbName: "foobar-db-name",
  dbUser: "foobar-db-user",
  dbServerCa: "foobar-db-server-ca",
  dbPasswordSecret: "foobar-db-password-secret",
} as const;

import * as pulumi from "@pulumi/pulumi";
import * as gcp from "@pulumi/gcp";

/** What the web VMs' application needs to reach the database; none of it is a credential. */
export interface DatabaseClientArgs {
  primaryIp: pulumi.Input<string>;
  replicaIps: pulumi.Input<pulumi.Input<string>[]>;
  name: pulumi.Input<string>;
  user: pulumi.Input<string>;
  /** CA certificate of the database's server certificates, so the application can verify them. */
  serverCaCert: pulumi.Input<string>;
  /** Secret Manager secret with the user's password; the VMs may read this secret and no other. */
  passwordSecretId: pulumi.Input<string>;
  /** The version of it the VMs read; a new one changes the template and rolls out to every VM. */
  passwordSecretVersion: pulumi.Input<string>;
}

/** An Artifact Registry image's repository, or undefined for an image hosted elsewhere. */
export function artifactRegistryRepository(
  image: string,
): { location: string; project: string; repository: string } | undefined {
  const match =
    /^([a-z0-9-]+)-docker\.pkg\.dev\/([a-z][a-z0-9-]{4,28}[a-z0-9])\/([a-z0-9][a-z0-9._-]*)\//.exec(image);
  return match ? { location: match[1], project: match[2], repository: match[3] } : undefined;
}

/**
 * The least the VMs' service account needs for the application: read the one database secret, and pull
 * from the one Artifact Registry repository the image lives in. Granted on those resources, never on the
 * project.
 */
export function grantAppAccess(
  name: string,
  member: pulumi.Input<string>,
  database: DatabaseClientArgs | undefined,
  appImage: string | undefined,
  parent: pulumi.Resource,
): pulumi.Resource[] {
  const grants: pulumi.Resource[] = [];
  if (database) {
    grants.push(
      new gcp.secretmanager.SecretIamMember(
        `${name}-db-password-reader`,
        { secretId: database.passwordSecretId, role: "roles/secretmanager.secretAccessor", member },
        { parent },
      ),
    );
  }
  const repository = appImage ? artifactRegistryRepository(appImage) : undefined;
  if (repository) {
    grants.push(
      new gcp.artifactregistry.RepositoryIamMember(
        `${name}-image-reader`,
        { ...repository, role: "roles/artifactregistry.reader", member },
        { parent },
      ),
    );
  }
  return grants;
}

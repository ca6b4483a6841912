/** No single MySQL writer: automatic failover, replicas, backups. */
import { answering } from "../concerns";
import { cloudSqlPrimaryRequiresAutomaticFailover } from "./cloudsql-primary-requires-automatic-failover";
import { cloudSqlPrimaryRequiresReadReplica } from "./cloudsql-primary-requires-read-replica";
import { cloudSqlRequiresBackupsAndBinaryLogging } from "./cloudsql-requires-backups-and-binary-logging";
import { cloudSqlRequiresDeletionProtection } from "./cloudsql-requires-deletion-protection";

export {
  cloudSqlPrimaryRequiresAutomaticFailover,
  cloudSqlPrimaryRequiresReadReplica,
  cloudSqlRequiresBackupsAndBinaryLogging,
  cloudSqlRequiresDeletionProtection,
};

export const databasePolicies = answering("database", [
  cloudSqlPrimaryRequiresAutomaticFailover,
  cloudSqlPrimaryRequiresReadReplica,
  cloudSqlRequiresBackupsAndBinaryLogging,
  cloudSqlRequiresDeletionProtection,
]);

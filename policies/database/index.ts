/** No single MySQL writer: automatic failover, replicas, backups. */
import { cloudSqlPrimaryRequiresAutomaticFailover } from "./cloudsql-primary-requires-automatic-failover";
import { cloudSqlPrimaryRequiresReadReplica } from "./cloudsql-primary-requires-read-replica";
import { cloudSqlRequiresBackupsAndBinaryLogging } from "./cloudsql-requires-backups-and-binary-logging";

export {
  cloudSqlPrimaryRequiresAutomaticFailover,
  cloudSqlPrimaryRequiresReadReplica,
  cloudSqlRequiresBackupsAndBinaryLogging,
};

export const databasePolicies = [
  cloudSqlPrimaryRequiresAutomaticFailover,
  cloudSqlPrimaryRequiresReadReplica,
  cloudSqlRequiresBackupsAndBinaryLogging,
];

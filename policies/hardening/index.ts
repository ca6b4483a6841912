/** Hardening the mainstream GCP scanners check on the same resources. */
import { answering } from "../concerns";
import { cloudSqlDisallowPublicIp } from "./cloudsql-disallow-public-ip";
import { cloudSqlDisallowWorldAuthorizedNetworks } from "./cloudsql-disallow-world-authorized-networks";
import { cloudSqlMysqlRequiresSafeFlags } from "./cloudsql-mysql-requires-safe-flags";
import { cloudSqlRequiresTls } from "./cloudsql-requires-tls";
import { firewallRequiresLogging } from "./firewall-requires-logging";
import { iamDisallowBasicRoles } from "./iam-disallow-basic-roles";
import { iamDisallowDefaultServiceAccountGrants } from "./iam-disallow-default-service-account-grants";
import { iamDisallowProjectWideImpersonation } from "./iam-disallow-project-wide-impersonation";
import { iamDisallowServiceAccountKeys } from "./iam-disallow-service-account-keys";
import { subnetworkRequiresFlowLogs } from "./subnetwork-requires-flow-logs";
import { subnetworkRequiresPrivateGoogleAccess } from "./subnetwork-requires-private-google-access";
import { cloudSqlRequiresSupportedVersion } from "./cloudsql-requires-supported-version";
import { vmDisallowDefaultServiceAccount } from "./vm-disallow-default-service-account";
import { vmDisallowIpForwarding } from "./vm-disallow-ip-forwarding";
import { vmDisallowPublicIp } from "./vm-disallow-public-ip";
import { vmRequiresOsLoginOrBlockedProjectSshKeys } from "./vm-requires-os-login-or-blocked-project-ssh-keys";
import { vmRequiresSerialPortDisabled } from "./vm-requires-serial-port-disabled";
import { vmRequiresShieldedVm } from "./vm-requires-shielded-vm";

export {
  cloudSqlDisallowPublicIp,
  cloudSqlDisallowWorldAuthorizedNetworks,
  cloudSqlMysqlRequiresSafeFlags,
  cloudSqlRequiresTls,
  firewallRequiresLogging,
  iamDisallowBasicRoles,
  iamDisallowDefaultServiceAccountGrants,
  iamDisallowProjectWideImpersonation,
  iamDisallowServiceAccountKeys,
  cloudSqlRequiresSupportedVersion,
  subnetworkRequiresFlowLogs,
  subnetworkRequiresPrivateGoogleAccess,
  vmDisallowDefaultServiceAccount,
  vmDisallowIpForwarding,
  vmDisallowPublicIp,
  vmRequiresOsLoginOrBlockedProjectSshKeys,
  vmRequiresSerialPortDisabled,
  vmRequiresShieldedVm,
};

export const hardeningPolicies = answering("hardening", [
  vmDisallowPublicIp,
  vmRequiresShieldedVm,
  vmRequiresOsLoginOrBlockedProjectSshKeys,
  vmRequiresSerialPortDisabled,
  vmDisallowIpForwarding,
  vmDisallowDefaultServiceAccount,
  firewallRequiresLogging,
  cloudSqlDisallowPublicIp,
  cloudSqlDisallowWorldAuthorizedNetworks,
  cloudSqlRequiresTls,
  cloudSqlMysqlRequiresSafeFlags,
  iamDisallowBasicRoles,
  iamDisallowProjectWideImpersonation,
  iamDisallowDefaultServiceAccountGrants,
  iamDisallowServiceAccountKeys,
  subnetworkRequiresFlowLogs,
  subnetworkRequiresPrivateGoogleAccess,
  cloudSqlRequiresSupportedVersion,
]);

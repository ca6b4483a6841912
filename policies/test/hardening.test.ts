import * as assert from "assert";
import { cloudSqlDisallowPublicIp as sqlNoPublicIp } from "../hardening/cloudsql-disallow-public-ip";
import { cloudSqlDisallowWorldAuthorizedNetworks as sqlNoWorld } from "../hardening/cloudsql-disallow-world-authorized-networks";
import { cloudSqlMysqlRequiresSafeFlags as sqlFlags } from "../hardening/cloudsql-mysql-requires-safe-flags";
import { cloudSqlRequiresTls as sqlTls } from "../hardening/cloudsql-requires-tls";
import { firewallRequiresLogging as firewallLogging } from "../hardening/firewall-requires-logging";
import { vmDisallowDefaultServiceAccount as defaultAccount } from "../hardening/vm-disallow-default-service-account";
import { vmDisallowIpForwarding as ipForwarding } from "../hardening/vm-disallow-ip-forwarding";
import { vmDisallowPublicIp as publicIp } from "../hardening/vm-disallow-public-ip";
import { vmRequiresOsLoginOrBlockedProjectSshKeys as osLogin } from "../hardening/vm-requires-os-login-or-blocked-project-ssh-keys";
import { vmRequiresSerialPortDisabled as serialPort } from "../hardening/vm-requires-serial-port-disabled";
import { vmRequiresShieldedVm as shieldedVm } from "../hardening/vm-requires-shielded-vm";
import { T } from "../lib/types";
import { UNKNOWN } from "../lib/unknowns";
import { cantRun, compliantProps, compliantTemplate, copy, Props, runOn, violation } from "./util";

const vm = { name: "subject", type: T.instance };
const template = { name: "subject", type: T.instanceTemplate };
const database = { name: "subject", type: T.databaseInstance };
const webVm = () => compliantProps("web-0");
const withVm = (change: (props: Props) => void): Props => {
  const props = webVm();
  change(props);
  return props;
};

describe("hardening: gcp-vm-disallow-public-ip", () => {
  const message = (kind: string) =>
    `${kind} "subject" has a public IP address (an accessConfigs entry on its network interface); ` +
    "remove accessConfigs and let the VM reach the internet through Cloud NAT.";

  it("passes the compliant VM and template", () => {
    assert.deepStrictEqual(runOn(publicIp, T.instance, webVm()), []);
    assert.deepStrictEqual(runOn(publicIp, T.instanceTemplate, compliantTemplate()), []);
  });

  it("reports a VM with an access config", () => {
    const props = withVm((p) => (p.networkInterfaces[0].accessConfigs = [{}]));
    assert.deepStrictEqual(runOn(publicIp, T.instance, props), [violation(publicIp, vm, message("VM"))]);
  });

  it("reports an instance template with an access config", () => {
    const props = compliantTemplate();
    props.networkInterfaces = [
      { ...props.networkInterfaces[0], accessConfigs: [{ networkTier: "PREMIUM" }] },
    ];
    assert.deepStrictEqual(runOn(publicIp, T.instanceTemplate, props), [
      violation(publicIp, template, message("Instance template")),
    ]);
  });
});

describe("hardening: gcp-vm-requires-shielded-vm", () => {
  const message = (off: string) =>
    `VM "subject" is not a fully Shielded VM; set shieldedInstanceConfig.${off} to true.`;

  it("passes the compliant VM", () => {
    assert.deepStrictEqual(runOn(shieldedVm, T.instance, webVm()), []);
  });

  it("reports a VM without a shielded instance config (Secure Boot is off by default)", () => {
    const props = withVm((p) => delete p.shieldedInstanceConfig);
    assert.deepStrictEqual(runOn(shieldedVm, T.instance, props), [
      violation(shieldedVm, vm, message("enableSecureBoot")),
    ]);
  });

  it("reports Secure Boot, vTPM or integrity monitoring turned off", () => {
    for (const key of ["enableSecureBoot", "enableVtpm", "enableIntegrityMonitoring"]) {
      const props = withVm((p) => (p.shieldedInstanceConfig[key] = false));
      assert.deepStrictEqual(
        runOn(shieldedVm, T.instance, props),
        [violation(shieldedVm, vm, message(key))],
        key,
      );
    }
  });

  it("says it can't run during preview on a shielded instance config not known yet", () => {
    assert.deepStrictEqual(
      runOn(
        shieldedVm,
        T.instance,
        withVm((p) => (p.shieldedInstanceConfig = UNKNOWN)),
      ),
      [cantRun(shieldedVm, vm, "shieldedInstanceConfig")],
    );
  });
});

describe("hardening: gcp-vm-requires-os-login-or-blocked-project-ssh-keys", () => {
  const message =
    'VM "subject" accepts project-wide SSH keys without OS Login; ' +
    'set metadata "enable-oslogin" to "TRUE" (and "block-project-ssh-keys" to "true").';

  it("passes the compliant VM (both settings)", () => {
    assert.deepStrictEqual(runOn(osLogin, T.instance, webVm()), []);
  });

  it("requires both by default, naming the one missing", () => {
    const noOsLogin = withVm((p) => delete p.metadata["enable-oslogin"]);
    const keysAllowed = withVm((p) => delete p.metadata["block-project-ssh-keys"]);
    assert.deepStrictEqual(runOn(osLogin, T.instance, noOsLogin), [
      violation(
        osLogin,
        vm,
        'VM "subject" blocks project-wide SSH keys but does not use OS Login; set metadata "enable-oslogin" to "TRUE".',
      ),
    ]);
    assert.deepStrictEqual(runOn(osLogin, T.instance, keysAllowed), [
      violation(
        osLogin,
        vm,
        'VM "subject" uses OS Login but still accepts project-wide SSH keys; set metadata "block-project-ssh-keys" to "true".',
      ),
    ]);
    const either = { settings: { [osLogin.name]: { requireBoth: false } } };
    assert.deepStrictEqual(runOn(osLogin, T.instance, noOsLogin, either), []);
    assert.deepStrictEqual(runOn(osLogin, T.instance, keysAllowed, either), []);
  });

  it("reports a VM with neither OS Login nor blocked project keys", () => {
    const props = withVm((p) => {
      delete p.metadata["enable-oslogin"];
      delete p.metadata["block-project-ssh-keys"];
    });
    assert.deepStrictEqual(runOn(osLogin, T.instance, props), [violation(osLogin, vm, message)]);
  });

  it("reports OS Login turned off without blocked project keys", () => {
    const props = withVm((p) => {
      p.metadata["enable-oslogin"] = "FALSE";
      p.metadata["block-project-ssh-keys"] = "false";
    });
    assert.deepStrictEqual(runOn(osLogin, T.instance, props), [violation(osLogin, vm, message)]);
  });

  it("says it can't run during preview on metadata not known yet", () => {
    assert.deepStrictEqual(
      runOn(
        osLogin,
        T.instance,
        withVm((p) => (p.metadata = UNKNOWN)),
      ),
      [cantRun(osLogin, vm, "metadata")],
    );
  });
});

describe("hardening: gcp-vm-requires-serial-port-disabled", () => {
  it("passes the compliant VM, and a VM that does not mention the serial port", () => {
    assert.deepStrictEqual(runOn(serialPort, T.instance, webVm()), []);
    assert.deepStrictEqual(
      runOn(
        serialPort,
        T.instance,
        withVm((p) => delete p.metadata["serial-port-enable"]),
      ),
      [],
    );
  });

  it("reports the serial console turned on", () => {
    for (const value of ["true", "TRUE", "1"]) {
      const props = withVm((p) => (p.metadata["serial-port-enable"] = value));
      assert.deepStrictEqual(
        runOn(serialPort, T.instance, props),
        [
          violation(
            serialPort,
            vm,
            'VM "subject" enables the interactive serial console; set metadata "serial-port-enable" to "false".',
          ),
        ],
        value,
      );
    }
  });
});

describe("hardening: gcp-vm-disallow-ip-forwarding", () => {
  it("passes the compliant VM", () => {
    assert.deepStrictEqual(runOn(ipForwarding, T.instance, webVm()), []);
  });

  it("reports IP forwarding turned on", () => {
    assert.deepStrictEqual(
      runOn(
        ipForwarding,
        T.instance,
        withVm((p) => (p.canIpForward = true)),
      ),
      [violation(ipForwarding, vm, 'VM "subject" can forward IP packets; set canIpForward to false.')],
    );
  });
});

describe("hardening: gcp-vm-disallow-default-service-account", () => {
  const message =
    'VM "subject" runs as the default compute service account with the cloud-platform scope, which hands it every role the account holds; ' +
    "give it a dedicated service account (serviceAccount.email) granted only the roles it needs.";

  it("passes the compliant VM (a dedicated account may have the cloud-platform scope)", () => {
    assert.deepStrictEqual(runOn(defaultAccount, T.instance, webVm()), []);
  });

  it("reports the default compute service account named by e-mail", () => {
    const props = withVm((p) => (p.serviceAccount.email = "123456789-compute@developer.gserviceaccount.com"));
    assert.deepStrictEqual(runOn(defaultAccount, T.instance, props), [
      violation(defaultAccount, vm, message),
    ]);
  });

  it("reports a service account block without e-mail, which means the default account", () => {
    const props = withVm((p) => {
      delete p.serviceAccount.email;
      p.serviceAccount.scopes = ["https://www.googleapis.com/auth/cloud-platform"];
    });
    assert.deepStrictEqual(runOn(defaultAccount, T.instance, props), [
      violation(defaultAccount, vm, message),
    ]);
  });

  it("reports the default account with narrow scopes too", () => {
    const props = withVm((p) => {
      delete p.serviceAccount.email;
      p.serviceAccount.scopes = ["logging-write", "monitoring-write"];
    });
    assert.deepStrictEqual(runOn(defaultAccount, T.instance, props), [
      violation(
        defaultAccount,
        vm,
        'VM "subject" runs as the default compute service account; ' +
          "give it a dedicated service account (serviceAccount.email) granted only the roles it needs.",
      ),
    ]);
  });

  it("leaves alone a VM with no service account at all", () => {
    assert.deepStrictEqual(
      runOn(
        defaultAccount,
        T.instance,
        withVm((p) => delete p.serviceAccount),
      ),
      [],
    );
  });

  it("reports nothing it cannot know during preview", () => {
    assert.deepStrictEqual(
      runOn(
        defaultAccount,
        T.instance,
        withVm((p) => (p.serviceAccount.email = UNKNOWN)),
      ),
      [],
    );
  });
});

describe("hardening: gcp-firewall-requires-logging", () => {
  const firewall = compliantProps("fw-web-https");

  it("passes the compliant firewall rule", () => {
    assert.deepStrictEqual(runOn(firewallLogging, T.firewall, firewall), []);
  });

  it("reports a rule without logging", () => {
    const props = copy(firewall);
    delete props.logConfig;
    assert.deepStrictEqual(runOn(firewallLogging, T.firewall, props), [
      violation(
        firewallLogging,
        { name: "subject", type: T.firewall },
        'Firewall rule "subject" does not log; set logConfig { metadata: "INCLUDE_ALL_METADATA" } (or "EXCLUDE_ALL_METADATA").',
      ),
    ]);
  });
});

describe("hardening: gcp-cloudsql-disallow-public-ip", () => {
  const primary = compliantProps("db-primary");
  const message = (kind: string, why = "") =>
    `Cloud SQL ${kind} "subject" has a public IP address${why}; ` +
    "set settings.ipConfiguration.ipv4Enabled to false and give it a privateNetwork.";

  it("passes the compliant primary and replica", () => {
    assert.deepStrictEqual(runOn(sqlNoPublicIp, T.databaseInstance, primary), []);
    assert.deepStrictEqual(runOn(sqlNoPublicIp, T.databaseInstance, compliantProps("db-replica-0")), []);
  });

  it("reports public IPv4 turned on", () => {
    const props = copy(primary);
    props.settings.ipConfiguration.ipv4Enabled = true;
    assert.deepStrictEqual(runOn(sqlNoPublicIp, T.databaseInstance, props), [
      violation(sqlNoPublicIp, database, message("primary")),
    ]);
  });

  it("reports an unset ipv4Enabled, which means a public IP, on replicas too", () => {
    const props = compliantProps("db-replica-0");
    delete props.settings.ipConfiguration.ipv4Enabled;
    assert.deepStrictEqual(runOn(sqlNoPublicIp, T.databaseInstance, props), [
      violation(sqlNoPublicIp, database, message("replica", " (ipv4Enabled is unset, which means true)")),
    ]);
  });

  it("reports nothing it cannot know during preview", () => {
    const props = copy(primary);
    props.settings.ipConfiguration = UNKNOWN;
    assert.deepStrictEqual(runOn(sqlNoPublicIp, T.databaseInstance, props), [
      cantRun(sqlNoPublicIp, database, "settings.ipConfiguration"),
    ]);
  });
});

describe("hardening: gcp-cloudsql-disallow-world-authorized-networks", () => {
  it("passes the compliant primary, and a narrow authorized network", () => {
    assert.deepStrictEqual(runOn(sqlNoWorld, T.databaseInstance, compliantProps("db-primary")), []);
    const props = compliantProps("db-primary");
    props.settings.ipConfiguration.authorizedNetworks = [{ name: "office", value: "203.0.113.0/24" }];
    assert.deepStrictEqual(runOn(sqlNoWorld, T.databaseInstance, props), []);
  });

  it("reports 0.0.0.0/0 among the authorized networks of a replica", () => {
    const props = compliantProps("db-replica-0");
    props.settings.ipConfiguration.authorizedNetworks = [{ name: "anyone", value: "0.0.0.0/0" }];
    assert.deepStrictEqual(runOn(sqlNoWorld, T.databaseInstance, props), [
      violation(
        sqlNoWorld,
        database,
        'Cloud SQL replica "subject" authorizes connections from anywhere (0.0.0.0/0); ' +
          "remove that entry from settings.ipConfiguration.authorizedNetworks and connect over private IP.",
      ),
    ]);
  });
});

describe("hardening: gcp-cloudsql-requires-tls", () => {
  const message = (shown: string) =>
    `Cloud SQL primary "subject" has ${shown}; set settings.ipConfiguration.sslMode to "ENCRYPTED_ONLY".`;

  it("passes the compliant primary, and client certificates required", () => {
    assert.deepStrictEqual(runOn(sqlTls, T.databaseInstance, compliantProps("db-primary")), []);
    const props = compliantProps("db-primary");
    props.settings.ipConfiguration.sslMode = "TRUSTED_CLIENT_CERTIFICATE_REQUIRED";
    assert.deepStrictEqual(runOn(sqlTls, T.databaseInstance, props), []);
  });

  it("reports unencrypted connections allowed", () => {
    const props = compliantProps("db-primary");
    props.settings.ipConfiguration.sslMode = "ALLOW_UNENCRYPTED_AND_ENCRYPTED";
    assert.deepStrictEqual(runOn(sqlTls, T.databaseInstance, props), [
      violation(sqlTls, database, message('sslMode "ALLOW_UNENCRYPTED_AND_ENCRYPTED"')),
    ]);
  });

  it("reports an unset sslMode", () => {
    const props = compliantProps("db-primary");
    delete props.settings.ipConfiguration.sslMode;
    assert.deepStrictEqual(runOn(sqlTls, T.databaseInstance, props), [
      violation(sqlTls, database, message("no sslMode, which allows unencrypted connections")),
    ]);
  });
});

describe("hardening: gcp-cloudsql-mysql-requires-safe-flags", () => {
  const message = (shown: string) =>
    `Cloud SQL primary "subject" ${shown} local_infile; add { name: "local_infile", value: "off" } to settings.databaseFlags.`;

  it("passes the compliant primary and replica, and does not apply to PostgreSQL", () => {
    assert.deepStrictEqual(runOn(sqlFlags, T.databaseInstance, compliantProps("db-primary")), []);
    assert.deepStrictEqual(runOn(sqlFlags, T.databaseInstance, compliantProps("db-replica-0")), []);
    const postgres: Props = { ...compliantProps("db-primary"), databaseVersion: "POSTGRES_16" };
    postgres.settings.databaseFlags = [];
    assert.deepStrictEqual(runOn(sqlFlags, T.databaseInstance, postgres), []);
  });

  it("reports local_infile on", () => {
    const props = compliantProps("db-primary");
    props.settings.databaseFlags = [
      { name: "local_infile", value: "on" },
      { name: "skip_show_database", value: "on" },
    ];
    assert.deepStrictEqual(runOn(sqlFlags, T.databaseInstance, props), [
      violation(sqlFlags, database, message('sets it to "on"')),
    ]);
  });

  it("reports local_infile and skip_show_database not set", () => {
    const props = compliantProps("db-primary");
    delete props.settings.databaseFlags;
    assert.deepStrictEqual(runOn(sqlFlags, T.databaseInstance, props), [
      violation(sqlFlags, database, message("does not set the flag")),
      violation(
        sqlFlags,
        database,
        'Cloud SQL primary "subject" does not set the flag skip_show_database; add { name: "skip_show_database", value: "on" } to settings.databaseFlags.',
      ),
    ]);
  });

  it("takes the required flags from the policy config", () => {
    const config = { [sqlFlags.name]: { requiredFlags: { local_infile: "off", log_output: "FILE" } } };
    assert.deepStrictEqual(
      runOn(sqlFlags, T.databaseInstance, compliantProps("db-primary"), { settings: config }),
      [
        violation(
          sqlFlags,
          database,
          'Cloud SQL primary "subject" does not set the flag log_output; add { name: "log_output", value: "FILE" } to settings.databaseFlags.',
        ),
      ],
    );
  });

  it("reports nothing it cannot know during preview", () => {
    const props = compliantProps("db-primary");
    props.settings.databaseFlags = [
      { name: "local_infile", value: UNKNOWN },
      { name: "skip_show_database", value: UNKNOWN },
    ];
    assert.deepStrictEqual(runOn(sqlFlags, T.databaseInstance, props), [
      cantRun(sqlFlags, database, "settings.databaseFlags.0.value"),
    ]);
  });
});

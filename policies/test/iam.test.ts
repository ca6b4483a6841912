import * as assert from "assert";
import { iamDisallowBasicRoles as basicRoles } from "../hardening/iam-disallow-basic-roles";
import { iamDisallowDefaultServiceAccountGrants as defaultAccount } from "../hardening/iam-disallow-default-service-account-grants";
import { iamDisallowProjectWideImpersonation as impersonation } from "../hardening/iam-disallow-project-wide-impersonation";
import { iamDisallowServiceAccountKeys as keys } from "../hardening/iam-disallow-service-account-keys";
import { UNKNOWN } from "../lib/unknowns";
import { cantRun, compliantStack, run, runOn, violation } from "./util";

const MEMBER = "gcp:projects/iAMMember:IAMMember";
const BINDING = "gcp:projects/iAMBinding:IAMBinding";
const POLICY = "gcp:projects/iAMPolicy:IAMPolicy";
const FOLDER_MEMBER = "gcp:folder/iAMMember:IAMMember";
const ORG_BINDING = "gcp:organizations/iAMBinding:IAMBinding";
const at = (type: string) => ({ name: "subject", type });
const ALICE = "user:alice@foobar.com";
const CI = "serviceAccount:deployer@foobar-prod.iam.gserviceaccount.com";
const DEFAULT_SA = "serviceAccount:123456789012-compute@developer.gserviceaccount.com";

describe("hardening: IAM policies on the compliant stack", () => {
  it("find nothing: the web VMs' own account gets only log and metric writing", () => {
    assert.deepStrictEqual(run([basicRoles, impersonation, defaultAccount, keys], compliantStack()), []);
  });
});

describe("hardening: gcp-iam-disallow-basic-roles", () => {
  const message = (members: string, role: string, level = "project") =>
    `IAM grant "subject" gives ${members} the basic role ${role} on the ${level}; grant the predefined roles the member's work needs instead.`;

  it("reports Owner or Editor granted by a member, a binding or a policy document", () => {
    assert.deepStrictEqual(runOn(basicRoles, MEMBER, { project: "p", role: "roles/editor", member: CI }), [
      violation(basicRoles, at(MEMBER), message(CI, "roles/editor")),
    ]);
    assert.deepStrictEqual(
      runOn(basicRoles, BINDING, { project: "p", role: "roles/owner", members: [ALICE, CI] }),
      [violation(basicRoles, at(BINDING), message(`${ALICE} and ${CI}`, "roles/owner"))],
    );
    const policyData = JSON.stringify({
      bindings: [
        { role: "roles/logging.logWriter", members: [CI] },
        { role: "roles/owner", members: [ALICE] },
      ],
    });
    assert.deepStrictEqual(runOn(basicRoles, POLICY, { project: "p", policyData }), [
      violation(basicRoles, at(POLICY), message(ALICE, "roles/owner")),
    ]);
  });

  it("reports them on folders and organizations too", () => {
    assert.deepStrictEqual(
      runOn(basicRoles, FOLDER_MEMBER, { folder: "folders/1", role: "roles/owner", member: ALICE }),
      [violation(basicRoles, at(FOLDER_MEMBER), message(ALICE, "roles/owner", "folder"))],
    );
    assert.deepStrictEqual(
      runOn(basicRoles, ORG_BINDING, { orgId: "1", role: "roles/editor", members: [ALICE] }),
      [violation(basicRoles, at(ORG_BINDING), message(ALICE, "roles/editor", "organization"))],
    );
  });

  it("leaves Viewer and predefined roles alone unless the config forbids them", () => {
    const viewer = { project: "p", role: "roles/viewer", member: ALICE };
    assert.deepStrictEqual(runOn(basicRoles, MEMBER, viewer), []);
    assert.deepStrictEqual(runOn(basicRoles, MEMBER, { ...viewer, role: "roles/compute.admin" }), []);
    const config = { [basicRoles.name]: { disallowedRoles: ["roles/viewer"] } };
    assert.strictEqual(runOn(basicRoles, MEMBER, viewer, { settings: config }).length, 1);
  });

  it("can't run during preview on a grant not known yet, and reports nothing the IAM API would refuse", () => {
    assert.deepStrictEqual(runOn(basicRoles, MEMBER, { project: "p", role: UNKNOWN, member: ALICE }), [
      cantRun(basicRoles, at(MEMBER), "role"),
    ]);
    assert.deepStrictEqual(
      runOn(basicRoles, BINDING, { project: "p", role: "roles/owner", members: UNKNOWN }),
      [cantRun(basicRoles, at(BINDING), "members")],
    );
    assert.deepStrictEqual(runOn(basicRoles, POLICY, { project: "p", policyData: UNKNOWN }), [
      cantRun(basicRoles, at(POLICY), "policyData"),
    ]);
    assert.deepStrictEqual(runOn(basicRoles, POLICY, { project: "p", policyData: "{not json" }), []);
  });

  it("reports a basic role at preview even to a member not known until the update", () => {
    assert.deepStrictEqual(
      runOn(basicRoles, BINDING, { project: "p", role: "roles/owner", members: [ALICE, UNKNOWN] }),
      [
        violation(
          basicRoles,
          at(BINDING),
          message(`${ALICE} and a member not known until the update`, "roles/owner"),
        ),
      ],
    );
  });
});

describe("hardening: gcp-iam-disallow-project-wide-impersonation", () => {
  const message = (role: string, level = "project") =>
    `IAM grant "subject" gives ${CI} ${role} on the whole ${level}, so they can act as any service account in it; ` +
    "grant the role on the one service account they need (gcp.serviceaccount.IAMMember).";

  it("reports Service Account User and Token Creator on a project or organization", () => {
    for (const role of ["roles/iam.serviceAccountUser", "roles/iam.serviceAccountTokenCreator"]) {
      assert.deepStrictEqual(runOn(impersonation, MEMBER, { project: "p", role, member: CI }), [
        violation(impersonation, at(MEMBER), message(role)),
      ]);
    }
    assert.deepStrictEqual(
      runOn(impersonation, ORG_BINDING, { orgId: "1", role: "roles/iam.serviceAccountUser", members: [CI] }),
      [violation(impersonation, at(ORG_BINDING), message("roles/iam.serviceAccountUser", "organization"))],
    );
  });

  it("leaves alone the same role granted on one service account", () => {
    const onAccount = {
      serviceAccountId: "projects/p/serviceAccounts/web@p.iam.gserviceaccount.com",
      role: "roles/iam.serviceAccountUser",
      member: CI,
    };
    assert.deepStrictEqual(runOn(impersonation, "gcp:serviceaccount/iAMMember:IAMMember", onAccount), []);
  });
});

describe("hardening: gcp-iam-disallow-default-service-account-grants", () => {
  it("reports any role granted to the default Compute Engine or App Engine account", () => {
    assert.deepStrictEqual(
      runOn(defaultAccount, MEMBER, { project: "p", role: "roles/storage.objectViewer", member: DEFAULT_SA }),
      [
        violation(
          defaultAccount,
          at(MEMBER),
          `IAM grant "subject" gives the default service account ${DEFAULT_SA} roles/storage.objectViewer on the project; ` +
            "create a dedicated service account for the workload and grant the role to it.",
        ),
      ],
    );
    const appspot = "serviceAccount:foobar-prod@appspot.gserviceaccount.com";
    assert.strictEqual(
      runOn(defaultAccount, BINDING, { project: "p", role: "roles/pubsub.publisher", members: [CI, appspot] })
        .length,
      1,
    );
  });

  it("leaves dedicated service accounts alone", () => {
    assert.deepStrictEqual(
      runOn(defaultAccount, MEMBER, { project: "p", role: "roles/logging.logWriter", member: CI }),
      [],
    );
    // A look-alike in a user-managed account's name is not the default account.
    const lookalike = "serviceAccount:123-compute@foobar-prod.iam.gserviceaccount.com";
    assert.deepStrictEqual(
      runOn(defaultAccount, MEMBER, { project: "p", role: "roles/logging.logWriter", member: lookalike }),
      [],
    );
    // A member not known until the update is an account the stack creates, as the program's are.
    assert.deepStrictEqual(
      runOn(defaultAccount, MEMBER, { project: "p", role: "roles/logging.logWriter", member: UNKNOWN }),
      [],
    );
  });
});

describe("hardening: gcp-iam-disallow-service-account-keys", () => {
  it("reports every user-managed key, naming its account when known", () => {
    const type = "gcp:serviceaccount/key:Key";
    assert.deepStrictEqual(
      runOn(keys, type, { serviceAccountId: "deployer@foobar-prod.iam.gserviceaccount.com" }),
      [
        violation(
          keys,
          at(type),
          'Service account key "subject" for deployer@foobar-prod.iam.gserviceaccount.com is a user-managed key; remove it, ' +
            "and let the workload use its attached service account or Workload Identity Federation.",
        ),
      ],
    );
    assert.strictEqual(runOn(keys, type, { serviceAccountId: UNKNOWN }).length, 1);
  });
});

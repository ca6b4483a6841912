import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import * as tls from "@pulumi/tls";
import * as gcp from "@pulumi/gcp";
import { simulate } from "../mockRun";
import { maskedSecret } from "../secrets";

const config = { "gcp:project": "foobar-web-test", "gcp:region": "us-central1" };

describe("the offline run keeps secrets out of what it records", () => {
  it("masks secret outputs, secret inputs and everything derived from them, wherever they appear", async () => {
    const run = await simulate(
      () => {
        const password = new random.RandomPassword(
          "pw",
          { length: 24, special: false },
          { additionalSecretOutputs: ["result", "bcryptHash"] },
        );
        const key = new tls.PrivateKey(
          "key",
          { algorithm: "ECDSA", ecdsaCurve: "P256" },
          { additionalSecretOutputs: ["privateKeyPem", "privateKeyPemPkcs8", "privateKeyOpenssh"] },
        );
        const user = new gcp.sql.User("user", {
          instance: "db",
          name: "app",
          password: pulumi.secret(password.result),
        });
        return {
          // The test's own window onto the real values, so it can look for them in the record.
          passwordInClear: pulumi.unsecret(password.result),
          keyInClear: pulumi.unsecret(key.privateKeyPem),
          userPassword: user.password,
        };
      },
      { stack: "test", config },
    );
    const password = String(run.outputs.passwordInClear);
    const key = String(run.outputs.keyInClear);
    assert.match(password, /^[A-Za-z0-9]{24}$/);
    assert.match(key, /^-----BEGIN EC PRIVATE KEY-----/);

    const recorded = JSON.stringify(run.resources);
    assert.ok(!recorded.includes(password), "the password appears in the recorded resources");
    const byName = Object.fromEntries(run.resources.map((r) => [r.name, r.props]));
    // An EC private key's encoding carries its public key, which is not secret and is shown as such.
    const publicKey = String(byName.key.publicKeyPem);
    const keyBody = key
      .split("\n")
      .filter((line) => line.length > 0 && !line.startsWith("-----") && !publicKey.includes(line));
    assert.ok(keyBody.length > 0);
    for (const line of keyBody) {
      const where = run.resources.flatMap((r) =>
        Object.entries(r.props)
          .filter(([, v]) => JSON.stringify(v).includes(line))
          .map(([k]) => `${r.name}.${k}`),
      );
      assert.deepEqual(where, [], "a line of the private key appears in the recorded resources");
    }
    assert.deepEqual([byName.pw.result, byName.pw.bcryptHash], [maskedSecret, maskedSecret]);
    assert.equal(byName.key.privateKeyPem, maskedSecret);
    assert.equal(byName.user.password, maskedSecret);
    assert.equal(run.outputs.userPassword, maskedSecret, "a secret stack output is masked");
  });
});

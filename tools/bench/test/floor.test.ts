import { strict as assert } from "assert";
import { devStackClasses } from "../cases/floor";
import { runOffline } from "../../offline/mockRun";

describe("bench: the true floor", () => {
  it("loads exactly the provider classes whose resources the plan of dev registers", async () => {
    const run = await runOffline({ stack: "dev" });
    const registered = new Set(
      run.resources.map((r) => r.type).filter((type) => /^(gcp|tls|random):/.test(type)),
    );
    const loaded = new Set(
      devStackClasses.map((c) => (c as unknown as { __pulumiType: string }).__pulumiType),
    );
    assert.deepEqual([...loaded].sort(), [...registered].sort());
  });
});

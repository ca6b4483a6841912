import * as assert from "assert";
import * as gcp from "@pulumi/gcp";
import {
  PolicyResource,
  ResourceValidationPolicy,
  StackValidationPolicy,
  validateResourceOfType,
} from "@pulumi/policy";
import { unknownValue } from "@pulumi/pulumi/runtime/rpc";
import { PolicyConfigError, resolvePolicyConfig } from "../config";
import { evaluatePolicies, PolicyEvaluationError, PolicyInputError, StackResource } from "../evaluate";
import { T } from "../../../policies/lib/types";
import { UNKNOWN } from "../../../policies/lib/unknowns";
import { packPolicies } from "../../../policies/pack";
import { compliantStack } from "../../../policies/test/util";

/** A resource policy that reports once on every firewall rule. */
const onFirewalls: ResourceValidationPolicy = {
  name: "test-firewall-reporter",
  description: "Reports every firewall rule.",
  validateResource: validateResourceOfType(gcp.compute.Firewall, (_, args, report) =>
    report(`saw ${args.name}`),
  ),
};

const firewall = (name: string, props: Record<string, unknown> = {}): StackResource => ({
  type: T.firewall,
  name,
  props: { network: "vpc", ...props },
});

describe("evaluator: runs policies like the engine", () => {
  it("runs validations one by one, catching notApplicable per validation", () => {
    const policy: ResourceValidationPolicy = {
      name: "test-two-validations",
      description: "Two validations, the first of which never applies.",
      validateResource: [
        (args) => args.notApplicable("not this one"),
        (args, report) => report(`second on ${args.name}`),
      ],
    };
    assert.deepStrictEqual(evaluatePolicies([policy], [firewall("a")]), [
      {
        policy: "test-two-validations",
        resource: "a",
        type: T.firewall,
        enforcementLevel: "advisory",
        message: "second on a",
      },
    ]);
  });

  it("runs a typed validation only on its type, and every resource policy on every resource", () => {
    const violations = evaluatePolicies(
      [onFirewalls],
      [firewall("a"), { type: T.network, name: "vpc", props: {} }, firewall("b")],
    );
    assert.deepStrictEqual(
      violations.map((v) => v.message),
      ["saw a", "saw b"],
    );
  });

  it("reports the description when a policy reports an empty message", () => {
    const policy: ResourceValidationPolicy = {
      name: "test-empty",
      description: "The description.",
      validateResource: (_, report) => report(""),
    };
    assert.strictEqual(evaluatePolicies([policy], [firewall("a")])[0].message, "The description.");
  });

  it("gives resource policies the name, type, URN and parent of the resource", () => {
    const seen: unknown[] = [];
    const policy: ResourceValidationPolicy = {
      name: "test-args",
      description: "Records its arguments.",
      validateResource: (args) => {
        seen.push([args.name, args.type, args.urn, args.opts.parent, args.isType(gcp.compute.Firewall)]);
      },
    };
    evaluatePolicies(
      [policy],
      [
        { type: "foobar:firewall:Firewalls", name: "fw", props: {} },
        { ...firewall("a"), parent: "fw" },
      ],
      {},
      { stack: "prod" },
    );
    assert.deepStrictEqual(seen, [
      [
        "fw",
        "foobar:firewall:Firewalls",
        "urn:pulumi:prod::foobar-web::foobar:firewall:Firewalls::fw",
        undefined,
        false,
      ],
      [
        "a",
        T.firewall,
        `urn:pulumi:prod::foobar-web::foobar:firewall:Firewalls$${T.firewall}::a`,
        "urn:pulumi:prod::foobar-web::foobar:firewall:Firewalls::fw",
        true,
      ],
    ]);
  });

  it("gives stack policies every resource, with parents and dependencies as references, and maps URNs back", () => {
    let resources: PolicyResource[] = [];
    const policy: StackValidationPolicy = {
      name: "test-stack",
      description: "Records the stack and reports on b and on the stack.",
      validateStack: (args, report) => {
        resources = args.resources;
        const b = args.resources.find((r) => r.name === "b") as PolicyResource;
        report("on b", b.urn);
        report("on the stack");
      },
    };
    const violations = evaluatePolicies(
      [policy],
      [
        { type: "foobar:firewall:Firewalls", name: "fw", props: {} },
        { ...firewall("a"), parent: "fw" },
        { ...firewall("b", { network: "default" }), parent: "fw", dependencies: ["a"] },
      ],
    );
    const b = resources.find((r) => r.name === "b") as PolicyResource;
    assert.strictEqual(b.parent?.name, "fw");
    assert.deepStrictEqual(
      b.dependencies.map((d) => d.name),
      ["a"],
    );
    assert.strictEqual(b.props.network, "default");
    assert.ok(b.isType(gcp.compute.Firewall));
    assert.deepStrictEqual(
      violations.map((v) => [v.resource, v.type, v.message]),
      [
        ["b", T.firewall, "on b"],
        [null, null, "on the stack"],
      ],
    );
  });

  it("turns a read of a value unknown during preview into the engine's advisory message", () => {
    const careless: ResourceValidationPolicy = {
      name: "test-careless",
      description: "Reads network without checking for unknowns.",
      validateResource: (args, report) => report(`network is ${String(args.props.network)}`),
    };
    assert.deepStrictEqual(
      evaluatePolicies([careless], [firewall("a", { network: UNKNOWN })], { all: "mandatory" }),
      [
        {
          policy: "test-careless",
          resource: "a",
          type: T.firewall,
          enforcementLevel: "advisory",
          message:
            "can't run policy 'test-careless' from policy pack 'foobar-web@v0.1.0' during preview: " +
            "string value at .network can't be known during preview",
        },
      ],
    );
  });

  it("finds an unknown however deep it sits, for resource and stack policies alike", () => {
    const description = "Reads the first port of the first allow entry.";
    const onResource: ResourceValidationPolicy = {
      name: "test-deep-resource",
      description,
      validateResource: (args, report) => report(String(args.props.allows[0].ports[0])),
    };
    const onStack: StackValidationPolicy = {
      name: "test-deep-stack",
      description,
      validateStack: (args, report) => report(String(args.resources[0].props.allows[0].ports[0])),
    };
    const cantRun = (policy: string) =>
      `can't run policy '${policy}' from policy pack 'foobar-web@v0.1.0' during preview: ` +
      "string value at .allows.0.ports.0 can't be known during preview";
    const deep = firewall("a", { allows: [{ protocol: "tcp", ports: [UNKNOWN] }] });
    assert.deepStrictEqual(
      evaluatePolicies([onResource, onStack], [deep]).map((v) => [v.resource, v.message]),
      [
        ["a", cantRun("test-deep-resource")],
        [null, cantRun("test-deep-stack")],
      ],
    );
    const known = firewall("a", { allows: [{ protocol: "tcp", ports: ["443"] }] });
    assert.deepStrictEqual(
      evaluatePolicies([onResource, onStack], [known]).map((v) => v.message),
      ["443", "443"],
    );
  });

  it("uses the engine's own unknown sentinel, the one @pulumi/policy's proxy knows as a string", () => {
    assert.strictEqual(UNKNOWN, unknownValue);
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- internal module of @pulumi/policy, no typings
    const proxy = require("@pulumi/policy/proxy") as Record<string, unknown>;
    assert.strictEqual(proxy.unknownStringValue, UNKNOWN);
  });

  it("refuses a set it cannot make URNs for", () => {
    const cases: [StackResource[], string][] = [
      [[firewall("a"), firewall("a")], 'two resources are named "a"'],
      [[{ ...firewall("a"), dependencies: ["b"] }], 'the dependency "b" of "a" is not in the set'],
      [[{ ...firewall("a"), parent: "b" }], 'the parent "b" of "a" is not in the set'],
      [
        [
          { ...firewall("a"), parent: "b" },
          { ...firewall("b"), parent: "a" },
        ],
        '"a" is its own ancestor',
      ],
    ];
    for (const [resources, message] of cases) {
      assert.throws(() => evaluatePolicies([onFirewalls], resources), new PolicyInputError(message));
    }
  });

  it("reports a policy that throws as a policy error naming it and the resource", () => {
    const broken: ResourceValidationPolicy = {
      name: "test-broken",
      description: "Throws.",
      validateResource: () => {
        throw new Error("boom");
      },
    };
    assert.throws(
      () => evaluatePolicies([broken], [firewall("a")]),
      new PolicyEvaluationError(
        'policy "test-broken" failed on resource "a" (a gcp:compute/firewall:Firewall): boom; ' +
          "are its props shaped as @pulumi/gcp types them?",
      ),
    );
  });

  it("refuses asynchronous validations rather than miss their violations", () => {
    const asynchronous: ResourceValidationPolicy = {
      name: "test-async",
      description: "Returns a promise.",
      validateResource: async () => {},
    };
    assert.throws(() => evaluatePolicies([asynchronous], [firewall("a")]), PolicyEvaluationError);
  });

  it("turns a policy's failure on props of the wrong shape into one PolicyEvaluationError naming both", () => {
    const odd = [null, 0, 1, true, "x", [], ["x", 1, null], { a: { b: [null] } }, UNKNOWN, [UNKNOWN]];
    const stack = compliantStack();
    const fields = new Set(stack.flatMap((r) => Object.keys(r.props)));
    const types = [
      ...new Set(stack.map((r) => r.type)),
      T.instanceTemplate,
      T.regionBackendService,
      T.osPolicyAssignment,
    ];
    for (const value of odd) {
      const resources: StackResource[] = types.map((type, i) => ({
        type,
        name: `r${i}`,
        props: Object.fromEntries([...fields].map((f) => [f, value])),
      }));
      try {
        evaluatePolicies(packPolicies, resources);
      } catch (e) {
        assert.ok(e instanceof PolicyEvaluationError, `${JSON.stringify(value)}: ${String(e)}`);
        assert.match(
          e.message,
          /^policy "gcp-[a-z0-9-]+" failed on (resource "r\d+" \(a [\w:/]+\)|the stack): .+; are its props shaped as @pulumi\/gcp types them\?$/,
        );
      }
    }
  });
});

describe("evaluator: enforcement levels and settings from the policy config", () => {
  const level = (config: Record<string, unknown>, policy: ResourceValidationPolicy = onFirewalls) =>
    evaluatePolicies([policy], [firewall("a")], config).map((v) => v.enforcementLevel);

  it("is advisory by default, and takes the policy's own level", () => {
    assert.deepStrictEqual(level({}), ["advisory"]);
    assert.deepStrictEqual(level({}, { ...onFirewalls, enforcementLevel: "mandatory" }), ["mandatory"]);
  });

  it('applies "all", then each policy\'s own entry', () => {
    assert.deepStrictEqual(level({ all: "mandatory" }), ["mandatory"]);
    assert.deepStrictEqual(level({ all: { enforcementLevel: "mandatory" } }), ["mandatory"]);
    assert.deepStrictEqual(level({ all: "mandatory", [onFirewalls.name]: "advisory" }), ["advisory"]);
    assert.deepStrictEqual(
      level({ all: "advisory", [onFirewalls.name]: { enforcementLevel: "mandatory" } }),
      ["mandatory"],
    );
    assert.deepStrictEqual(level({ all: "advisory" }, { ...onFirewalls, enforcementLevel: "mandatory" }), [
      "advisory",
    ]);
  });

  it("does not run disabled policies, and reports remediate as mandatory", () => {
    assert.deepStrictEqual(level({ [onFirewalls.name]: "disabled" }), []);
    assert.deepStrictEqual(level({ all: "disabled" }), []);
    assert.deepStrictEqual(level({ all: "remediate" }), ["mandatory"]);
  });

  it("gives policies their schema's defaults, overridden by the config", () => {
    const seen: unknown[] = [];
    const configurable: ResourceValidationPolicy = {
      name: "test-configurable",
      description: "Records its config.",
      configSchema: {
        properties: { limit: { type: "integer", default: 2 }, label: { type: "string", default: "x" } },
      },
      validateResource: (args) => {
        seen.push(args.getConfig());
      },
    };
    evaluatePolicies([configurable], [firewall("a")], {});
    evaluatePolicies([configurable], [firewall("a")], {
      "test-configurable": { enforcementLevel: "mandatory", limit: 5 },
    });
    assert.deepStrictEqual(seen, [
      { limit: 2, label: "x" },
      { limit: 5, label: "x" },
    ]);
  });

  it("refuses a policy whose config schema uses a keyword ajv does not know, instead of ignoring it", () => {
    const misspelt: ResourceValidationPolicy = {
      ...onFirewalls,
      configSchema: { properties: { limit: { type: "integer", minimm: 1, default: 2 } as never } },
    };
    assert.throws(
      () => resolvePolicyConfig([misspelt], { [misspelt.name]: { limit: 3 } }),
      /strict mode: unknown keyword: "minimm"/,
    );
  });

  it("rejects a config that does not fit the pack, with one clear line", () => {
    const cases: [Record<string, unknown>, string][] = [
      [
        { "gcp-vm-disalow-public-ip": "mandatory" },
        '"gcp-vm-disalow-public-ip" is not a policy of this pack (its policies are listed in docs/concerns.md)',
      ],
      [
        { all: { enforcementLevel: "mandatory", minZones: 3 } },
        '"all" can only set enforcementLevel; put settings under the policy they belong to',
      ],
      [
        { "gcp-vm-disallow-public-ip": { minZones: 3 } },
        'policy "gcp-vm-disallow-public-ip" has no setting "minZones" (its settings: exemptions)',
      ],
      [
        { "gcp-backend-pool-requires-two-zones": { minZone: 3 } },
        'policy "gcp-backend-pool-requires-two-zones" has no setting "minZone" (its settings: minZones, minInstances, exemptions)',
      ],
      [
        { "gcp-backend-pool-requires-two-zones": { minZones: "two" } },
        'policy "gcp-backend-pool-requires-two-zones": setting minZones must be an integer, got "two"',
      ],
      [
        { "gcp-backend-pool-requires-two-zones": { minZones: 0 } },
        'policy "gcp-backend-pool-requires-two-zones": setting minZones must be at least 1, got 0',
      ],
      [
        { "gcp-https-proxy-requires-managed-certificate": { requireManagedCertificate: "yes" } },
        'policy "gcp-https-proxy-requires-managed-certificate": setting requireManagedCertificate must be a boolean, got "yes"',
      ],
      [
        { "gcp-cloudsql-mysql-requires-safe-flags": { requiredFlags: { local_infile: 0 } } },
        'policy "gcp-cloudsql-mysql-requires-safe-flags": setting requiredFlags.local_infile must be a string, got 0',
      ],
    ];
    for (const [config, message] of cases) {
      assert.throws(() => resolvePolicyConfig(packPolicies, config), new PolicyConfigError(message), message);
    }
  });
});

// The pack's entry for `pulumi preview --policy-pack policies`.
//
// @pulumi/pulumi's run-policy-pack registers ts-node with typeCheck: true for a TypeScript pack, whatever
// PULUMI_NODEJS_TRANSPILE_ONLY says; a program honours that variable. This entry honours it for the pack
// too: set to true, the pack is only transpiled (tsx), for a preview several seconds faster, and `npm test`
// is what type-checks it. Unset, the pack loads as any TypeScript pack does, type-checked.
if (process.env.PULUMI_NODEJS_TRANSPILE_ONLY === "true") require("tsx/cjs");
require("./index.ts");

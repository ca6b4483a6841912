module foobar-web/tools/pulumi-cli

go 1.25.11

// Same as pulumi pkg/go.mod at pkg/v3.248.0.
replace github.com/atotto/clipboard => github.com/tgummerer/clipboard v0.0.0-20241001131231-d02d263e614e

require (
	github.com/pulumi/pulumi/pkg/v3 v3.248.0
	github.com/pulumi/pulumi/sdk/v3 v3.248.0
)

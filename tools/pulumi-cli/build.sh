#!/usr/bin/env bash
# Builds the Pulumi CLI (`pulumi`) and the Node.js language host
# (`pulumi-language-nodejs`) from Go modules fetched through the Go module
# proxy, into tools/pulumi-cli/.bin/<version>/ (git-ignored).
#
# Usage:  PATH="$(tools/pulumi-cli/build.sh | tail -n1):$PATH"
#
# - If `pulumi` and `pulumi-language-nodejs` are already on PATH, nothing is
#   built and the directory holding `pulumi` is printed (FORCE_BUILD=1 skips
#   that check and always (re)builds; Go's build cache keeps a rebuild cheap).
# - If all three binaries below are already in the cache directory, nothing
#   is built (so after changing nodejs-host-shim/, run with FORCE_BUILD=1).
# - Progress goes to stderr; the last stdout line is the bin directory.
#
# Binaries and versions:
#   pulumi                          github.com/pulumi/pulumi/pkg/v3 v3.248.0 (go.mod here)
#   pulumi-language-nodejs          our shim, ./nodejs-host-shim (this module, sdk/v3 v3.248.0)
#   pulumi-language-nodejs-v3.68.0  github.com/pulumi/pulumi/sdk/v3 v3.68.0 (nodejs-host/go.mod)
#
# Why the real language host is old: the Go module proxy reachable here
# refuses every version of github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3
# (403 "This module version is not available"). sdk/v3 v3.68.0 is the newest
# available release that still carried the host as a package of sdk/v3. It
# speaks the same gRPC protocol and runs @pulumi/pulumi 3.248.0 programs, but it
# ignores Pulumi.yaml `runtime.options` (typescript/tsconfig/nodeargs/
# packagemanager): TypeScript is always on, with the default tsconfig.json, npm.
#
# Why the shim: the v3.68.0 host lacks RunPlugin, which CLI v3.248.0 uses to
# start Node.js policy packs, so with it alone `pulumi preview --policy-pack DIR`
# fails with `policy pack "DIR" failed to start: could not read plugin [DIR]:
# not supported`. The engine runs `pulumi-language-nodejs`, which is therefore
# our shim: it starts pulumi-language-nodejs-v3.68.0 (from its own directory)
# as a child, forwards every other RPC to it (so programs still run on
# v3.68.0, with the limits above), and implements RunPlugin for policy packs
# itself by running @pulumi/pulumi/cmd/run-policy-pack with node. See
# nodejs-host-shim/main.go and policy.go.
set -euo pipefail

PULUMI_VERSION=v3.248.0
# Version of the sdk/v3 module the Node.js language host is built from
# (must match nodejs-host/go.mod, and legacyHostName in nodejs-host-shim/main.go).
NODEJS_HOST_VERSION=v3.68.0

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
bin_dir="${script_dir}/.bin/${PULUMI_VERSION}"

log() { printf 'pulumi-cli: %s\n' "$*" >&2; }

if [[ "${FORCE_BUILD:-0}" != "1" ]]; then
    if existing="$(command -v pulumi)" && command -v pulumi-language-nodejs >/dev/null; then
        log "pulumi already on PATH: ${existing} (set FORCE_BUILD=1 to build anyway)"
        dirname "${existing}"
        exit 0
    fi
    if [[ -x "${bin_dir}/pulumi" && -x "${bin_dir}/pulumi-language-nodejs" \
        && -x "${bin_dir}/pulumi-language-nodejs-${NODEJS_HOST_VERSION}" ]]; then
        log "using cached binaries in ${bin_dir}"
        echo "${bin_dir}"
        exit 0
    fi
fi

if command -v go >/dev/null; then
    go_bin="$(command -v go)"
elif [[ -x /usr/local/go/bin/go ]]; then
    go_bin=/usr/local/go/bin/go
else
    log "error: no Go toolchain found (need go >= 1.25.11)"
    exit 1
fi

# The checksum database has no entry for github.com/pulumi/pulumi/pkg/v3, so
# skip it for the pulumi modules; go.sum still pins their hashes.
export GONOSUMDB="github.com/pulumi/pulumi${GONOSUMDB:+,${GONOSUMDB}}"
export GOFLAGS="-mod=readonly -buildvcs=false${GOFLAGS:+ ${GOFLAGS}}"
# Static binaries, as in Pulumi's own release builds.
export CGO_ENABLED=0
# Use the local toolchain; never try to download another one.
export GOTOOLCHAIN=local

mkdir -p "${bin_dir}"
tmp_dir="$(mktemp -d "${bin_dir}/.tmp.XXXXXX")"
trap 'rm -rf "${tmp_dir}"' EXIT

start=${SECONDS}
log "building pulumi ${PULUMI_VERSION} with $("${go_bin}" version) (first build takes several minutes)"
(
    cd "${script_dir}"
    "${go_bin}" build -trimpath \
        -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=${PULUMI_VERSION}" \
        -o "${tmp_dir}/pulumi" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
) >&2

log "building pulumi-language-nodejs-${NODEJS_HOST_VERSION}"
(
    cd "${script_dir}/nodejs-host"
    "${go_bin}" build -trimpath \
        -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=${NODEJS_HOST_VERSION}" \
        -o "${tmp_dir}/pulumi-language-nodejs-${NODEJS_HOST_VERSION}" \
        github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs
) >&2

log "building pulumi-language-nodejs (shim in front of ${NODEJS_HOST_VERSION})"
(
    cd "${script_dir}"
    "${go_bin}" build -trimpath -ldflags "-s -w" \
        -o "${tmp_dir}/pulumi-language-nodejs" ./nodejs-host-shim
) >&2

mv -f "${tmp_dir}/pulumi" "${tmp_dir}/pulumi-language-nodejs-${NODEJS_HOST_VERSION}" \
    "${tmp_dir}/pulumi-language-nodejs" "${bin_dir}/"
log "built in $((SECONDS - start))s: ${bin_dir}"
echo "${bin_dir}"

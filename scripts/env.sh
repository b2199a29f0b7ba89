# Source this file (`. scripts/env.sh`) to use the plain Pulumi CLI on this project offline:
# the CLI the set-up built, a local file backend and a per-checkout passphrase. Idempotent.
VTB_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]:-$0}")/.." && pwd)"
export VTB_ROOT
export VTB_CACHE="${VTB_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/virt-testbed}"
export VTB_PULUMI_VERSION=v3.248.0   # matches @pulumi/pulumi in package.json (the newest for Node 20)
# A pulumi already on PATH is kept; otherwise the one built by scripts/setup.sh.
command -v pulumi >/dev/null 2>&1 || export PATH="$VTB_CACHE/pulumi/$VTB_PULUMI_VERSION/bin:$PATH"
# The language host (scripts/bin) and the dynamic-provider plugin shipped in the SDK package.
export PATH="$VTB_ROOT/scripts/bin:$VTB_ROOT/node_modules/@pulumi/pulumi:$PATH"
export VTB_STATE="${VTB_STATE:-$VTB_ROOT/.state}"
export PULUMI_BACKEND_URL="${PULUMI_BACKEND_URL:-file://$VTB_STATE/backend}"
export PULUMI_CONFIG_PASSPHRASE_FILE="${PULUMI_CONFIG_PASSPHRASE_FILE:-$VTB_STATE/passphrase}"
export PULUMI_SKIP_UPDATE_CHECK=true
export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true
export PULUMI_DISABLE_REGISTRY_RESOLVE=true
export PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK=true
export TS_NODE_TRANSPILE_ONLY=true

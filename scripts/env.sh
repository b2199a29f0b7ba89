# Source this file (`. scripts/env.sh`) to use the plain Pulumi CLI on this project offline:
# the CLI the set-up built, a local file backend and this checkout's passphrase. Idempotent.
VTB_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]:-$0}")/.." && pwd)"
export VTB_ROOT
export VTB_CACHE="${VTB_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/virt-testbed}"
export VTB_PULUMI_VERSION=v3.248.0   # matches @pulumi/pulumi in package.json (the newest for Node 20)
# A pulumi already on PATH is kept; otherwise the one built by scripts/setup.sh, whose directory
# also holds this project's two plugins (scripts/bin/pulumi-plugin). A CLI of the user's own finds
# them on PATH instead (and says so in a warning).
VTB_PULUMI_BIN="$VTB_CACHE/pulumi/$VTB_PULUMI_VERSION/bin"
if command -v pulumi >/dev/null 2>&1 && [ "$(command -v pulumi)" != "$VTB_PULUMI_BIN/pulumi" ]; then
  case ":$PATH:" in *":$VTB_ROOT/scripts/bin:"*) ;; *) export PATH="$VTB_ROOT/scripts/bin:$PATH" ;; esac
else
  case ":$PATH:" in *":$VTB_PULUMI_BIN:"*) ;; *) export PATH="$VTB_PULUMI_BIN:$PATH" ;; esac
fi
export VTB_STATE="${VTB_STATE:-$VTB_ROOT/.state}"
export PULUMI_BACKEND_URL="${PULUMI_BACKEND_URL:-file://$VTB_STATE/backend}"
# Stack secrets (keys, passwords) are encrypted with this checkout's passphrase, made by set-up and
# never committed; Pulumi writes the matching `encryptionsalt` into the local Pulumi.<stack>.yaml.
export PULUMI_CONFIG_PASSPHRASE_FILE="${PULUMI_CONFIG_PASSPHRASE_FILE:-$VTB_STATE/passphrase}"
# A stack file without its salt (e.g. restored from git) takes the one recorded in the stack's state.
export PULUMI_FALLBACK_TO_STATE_SECRETS_MANAGER=true
export PULUMI_SKIP_UPDATE_CHECK=true
export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true
export PULUMI_DISABLE_REGISTRY_RESOLVE=true
export PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK=true
export TS_NODE_TRANSPILE_ONLY=true

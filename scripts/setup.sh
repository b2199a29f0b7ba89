#!/usr/bin/env bash
# Installs what a fresh machine lacks, offline from Debian's mirror, the Go module proxy and npm.
# Idempotent and cached outside the checkout: a second run (or a fresh clone) rebuilds nothing.
set -euo pipefail
. "$(dirname "$0")/env.sh"
cd "$VTB_ROOT"
log() { echo "setup: $*" >&2; }

# Host packages: liblxc, libvirt + QEMU, the image builder, the benchmark tools for the host baseline,
# Chromium for the report and dashboard browser tests.
need=()
for pair in lxc-start:lxc debootstrap:debootstrap ip:iproute2 sysbench:sysbench fio:fio iperf3:iperf3 ssh:openssh-client \
            ssh-keygen:openssh-client flock:util-linux criu:criu rsync:rsync mkfs.ext4:e2fsprogs libvirtd:libvirt-daemon-system virsh:libvirt-clients \
            qemu-system-x86_64:qemu-system-x86 qemu-img:qemu-utils chromium:chromium; do
  command -v "${pair%%:*}" >/dev/null 2>&1 || need+=("${pair#*:}")
done
if [ ${#need[@]} -gt 0 ]; then
  log "apt-get install ${need[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# The Pulumi CLI, built from the Go module proxy (get.pulumi.com is unreachable here).
if ! command -v pulumi >/dev/null 2>&1; then
  command -v go >/dev/null 2>&1 || export PATH="$PATH:/usr/local/go/bin"
  bin="$VTB_PULUMI_BIN"
  log "building the Pulumi CLI $VTB_PULUMI_VERSION into $bin (about 4 minutes, once)"
  mkdir -p "$bin"
  ( cd tools/pulumi && GONOSUMDB='github.com/pulumi/*' CGO_ENABLED=0 go build -trimpath \
      -ldflags "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$VTB_PULUMI_VERSION" \
      -o "$bin/pulumi.tmp" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi )
  mv "$bin/pulumi.tmp" "$bin/pulumi"
fi
# This project's plugins beside the CLI we built, where it looks for bundled plugins (see env.sh).
if [ "$(command -v pulumi)" = "$VTB_PULUMI_BIN/pulumi" ]; then
  for p in pulumi-language-nodejs pulumi-resource-pulumi-nodejs; do
    cmp -s scripts/bin/pulumi-plugin "$VTB_PULUMI_BIN/$p" || install -m 755 scripts/bin/pulumi-plugin "$VTB_PULUMI_BIN/$p"
  done
fi

# Node modules, exactly as locked.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  log "npm ci"
  npm ci --no-audit --no-fund --silent
fi

# The workloads the guests run, compiled.
bash scripts/build-guest-bundle.sh

# The local backend and this checkout's passphrase for stack secrets (never committed).
mkdir -p "$VTB_STATE/backend"
if [ ! -s "$PULUMI_CONFIG_PASSPHRASE_FILE" ]; then
  ( umask 077; head -c 32 /dev/urandom | base64 > "$PULUMI_CONFIG_PASSPHRASE_FILE" )
fi
# The stacks whose files the checkout carries, so `pulumi up --stack <name>` works as typed.
# Creating one adds the salt of this checkout's passphrase to the local Pulumi.<name>.yaml.
existing=$(pulumi stack ls --json 2>/dev/null | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s||"[]").map(x=>x.name).join(" ")))')
for f in Pulumi.*.yaml; do
  name=${f#Pulumi.}; name=${name%.yaml}
  case " $existing " in *" $name "*) ;; *) log "pulumi stack init $name"; pulumi stack init "$name" --non-interactive >/dev/null ;; esac
done
log "ready: $(pulumi version), backend $PULUMI_BACKEND_URL"

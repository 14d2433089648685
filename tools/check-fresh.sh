#!/usr/bin/env bash
# make check-fresh: in a clean Debian 12 root (debootstrap --variant=minbase bookworm), the
# project's install step (tools/deps.sh build) followed by `make java` and the static replay
# runner must succeed. A package the build needs but the install list lacks fails it here.
#
# The pristine root is cached as a tarball in $XDPGATE_FRESH_CACHE (default
# /var/cache/xdpgate); the installed root never is. Downloaded .debs and Maven artifacts are
# shared with the host's caches: they are downloads, not installed state.
set -euo pipefail
cd "$(dirname "$0")/.."

CACHE=${XDPGATE_FRESH_CACHE:-/var/cache/xdpgate}
PRISTINE=$CACHE/bookworm-minbase.tar.gz
MIRROR=${XDPGATE_DEBIAN_MIRROR:-http://deb.debian.org/debian}
ROOT=$(mktemp -d /var/tmp/xdpgate-fresh.XXXXXX)
M2=${HOME:-/root}/.m2
started=$SECONDS

mounted=()
cleanup() {
    for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do umount -l "${mounted[$i]}" 2>/dev/null || true; done
    rm -rf --one-file-system "$ROOT"
}
trap cleanup EXIT
bind() { mkdir -p "$2"; mount --bind "$1" "$2"; mounted+=("$2"); }

[ "$(id -u)" = 0 ] || { echo "check-fresh: needs root (debootstrap, chroot, mounts)" >&2; exit 1; }
command -v debootstrap > /dev/null || { echo "check-fresh: debootstrap missing (make deps)" >&2; exit 1; }

mkdir -p "$CACHE"
if [ ! -s "$PRISTINE" ]; then
    echo "check-fresh: debootstrap --variant=minbase bookworm (once; cached in $PRISTINE)"
    debootstrap --variant=minbase bookworm "$ROOT" "$MIRROR" > "$CACHE/debootstrap.log" 2>&1 ||
        { tail -20 "$CACHE/debootstrap.log"; exit 1; }
    tar -C "$ROOT" -czf "$PRISTINE.tmp" . && mv "$PRISTINE.tmp" "$PRISTINE"
else
    tar -C "$ROOT" -xzf "$PRISTINE"
fi

# Updates and security, as a real Debian 12 has them (the same mirror as debootstrap's).
cat > "$ROOT/etc/apt/sources.list" <<EOT
deb $MIRROR bookworm main
deb $MIRROR bookworm-updates main
deb ${MIRROR%/debian}/debian-security bookworm-security main
EOT
cp /etc/resolv.conf "$ROOT/etc/resolv.conf"
mkdir -p "$ROOT/src"
git ls-files -z --cached --others --exclude-standard | xargs -0 cp --parents -t "$ROOT/src"

mount -t proc proc "$ROOT/proc"; mounted+=("$ROOT/proc")
bind /dev "$ROOT/dev"
bind /var/cache/apt/archives "$ROOT/var/cache/apt/archives"
mkdir -p "$M2"
bind "$M2" "$ROOT/root/.m2"

echo "check-fresh: tools/deps.sh build, then make java and the replay runner, in the clean root"
if ! chroot "$ROOT" /usr/bin/env -i HOME=/root PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 \
        bash -c 'cd /src && tools/deps.sh build && make java bpf/build/xg-replay' > "$CACHE/fresh.log" 2>&1; then
    tail -40 "$CACHE/fresh.log"
    echo "check-fresh: the build failed in a clean Debian 12 root after the install step (log: $CACHE/fresh.log)" >&2
    exit 1
fi
ls "$ROOT/src/bpf/build/xdpgate.bpf.o" "$ROOT/src/control-plane/target/"xdpgate-control-plane-*.jar > /dev/null
echo "check-fresh: ok in $((SECONDS - started)) s"

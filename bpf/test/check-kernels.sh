#!/usr/bin/env bash
# make check-kernels: the packet processor loads and gives the kernel suite's verdicts on this
# machine's kernel and on Debian 12's own (the newest linux-image-6.1.0-*-amd64), booted under
# qemu with an initramfs holding busybox, the static replay runner, the object and the fixtures.
#
# usage: check-kernels.sh OBJECT TC_OBJECT REPLAY FIXTURE_DIR
# (TC_OBJECT: the same pipeline built for tc ingress; the fixtures of the tc runs replay through it)
# Kernel packages are cached in $XDPGATE_KERNEL_CACHE (default /var/cache/xdpgate/kernels).
set -euo pipefail

OBJ=$1 TC_OBJ=$2 REPLAY=$3 FIXTURES=$4
CACHE=${XDPGATE_KERNEL_CACHE:-/var/cache/xdpgate/kernels}
OUT=$(dirname "$REPLAY")/kernels
SERIES='^linux-image-6\.1\.0-[0-9]+-amd64$'

die() { echo "check-kernels: $*" >&2; exit 1; }
shopt -s nullglob
fixtures=("$FIXTURES"/*.fixture)
[ ${#fixtures[@]} -gt 0 ] || die "no fixtures in $FIXTURES (make fixtures records them)"
mkdir -p "$OUT" "$CACHE"

# Fixtures name the interfaces their runs arrive on as ifindex 1, 2, 3 ...: on this machine the
# replay runs in a network namespace of its own, where loopback is 1 and a veth pair is 2 and 3.
in_netns() {
    unshare --net sh -c 'ip link add xgr0 type veth peer name xgr1 && exec "$@"' sh "$@"
}

# 1. The runner can fail: a fixture with one expected action changed must be reported.
tampered=$OUT/tampered.fixture
awk '!done && $1 == "expect" { $2 = ($2 == "1" ? "2" : "1"); done = 1 } { print }' "${fixtures[0]}" > "$tampered"
if in_netns "$REPLAY" --tc "$TC_OBJ" "$OBJ" "$tampered" > "$OUT/tampered.log" 2>&1; then
    die "the replay of a tampered fixture passed; the runner cannot fail (see $OUT/tampered.log)"
fi
grep -q "^FAIL .*action" "$OUT/tampered.log" || die "the tampered fixture failed for another reason: $(tail -3 "$OUT/tampered.log")"

# 2. This machine's kernel.
echo "check-kernels: $(uname -r) (this machine)"
in_netns "$REPLAY" --tc "$TC_OBJ" "$OBJ" "${fixtures[@]}" > "$OUT/host.log" 2>&1 || { tail -40 "$OUT/host.log"; die "replay failed on $(uname -r)"; }
grep -E "^(verified|replay total)" "$OUT/host.log" | sed 's/^/  /'

# 3. Debian 12's kernel under qemu.
pkg=$(apt-cache search --names-only "$SERIES" 2>/dev/null | awk '{print $1}' | sort -V | tail -1)
if [ -z "$pkg" ]; then
    apt-get update -qq
    pkg=$(apt-cache search --names-only "$SERIES" | awk '{print $1}' | sort -V | tail -1)
fi
[ -n "$pkg" ] || die "no package matches $SERIES in Debian's lists"
version=${pkg#linux-image-}
vmlinuz=$CACHE/vmlinuz-$version
dummy=$CACHE/dummy-$version.ko
if [ ! -s "$vmlinuz" ] || [ ! -s "$dummy" ]; then
    (cd "$CACHE" && apt-get download -q -o APT::Sandbox::User=root "$pkg" > /dev/null)
    deb=$(ls "$CACHE/${pkg}"_*.deb | tail -1)
    dpkg-deb --fsys-tarfile "$deb" | tar -xO "./boot/vmlinuz-$version" > "$vmlinuz.tmp"
    dpkg-deb --fsys-tarfile "$deb" | tar -xO "./lib/modules/$version/kernel/drivers/net/dummy.ko" > "$dummy.tmp"
    mv "$vmlinuz.tmp" "$vmlinuz"
    mv "$dummy.tmp" "$dummy"
    rm -f "$deb"
fi

root=$OUT/initramfs
rm -rf "$root"
mkdir -p "$root"/{bin,proc,sys,fixtures}
cp /bin/busybox "$REPLAY" "$root/bin/"
cp "$OBJ" "$root/xdpgate.bpf.o"
cp "$TC_OBJ" "$root/xdpgate_tc.bpf.o"
cp "$dummy" "$root/dummy.ko"
cp "${fixtures[@]}" "$root/fixtures/"
install -m 0755 "$(dirname "$0")/guest-init" "$root/init"
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) > "$OUT/initramfs.gz"

echo "check-kernels: $version (Debian 12, qemu)"
# TCG: no KVM needed (nested KVM hangs on some hosts); the guest only runs the replay.
timeout 900 qemu-system-x86_64 -accel tcg -m 1536 -smp 1 -nographic -no-reboot \
    -kernel "$vmlinuz" -initrd "$OUT/initramfs.gz" \
    -append "console=ttyS0 quiet panic=-1" < /dev/null > "$OUT/guest.log" 2>&1 || true
tr -d '\r' < "$OUT/guest.log" | sed -e 's/.*XG-KERNEL/XG-KERNEL/' | sed -n '/^XG-KERNEL/,/^XG-EXIT/p' > "$OUT/guest-result.log"
grep -q "^XG-EXIT" "$OUT/guest-result.log" || { tail -40 "$OUT/guest.log"; die "the guest did not finish (log: $OUT/guest.log)"; }
grep -E "^(verified|replay total)" "$OUT/guest-result.log" | sed 's/^/  /'
if ! grep -q "^XG-EXIT 0" "$OUT/guest-result.log"; then
    grep -E "^(FAIL|  |xg-replay|libbpf)" "$OUT/guest-result.log" | head -60
    die "replay failed on $version (full log: $OUT/guest.log)"
fi

# 4. Verifier instruction counts, for the README.
{
    echo "| program | $(uname -r) | $version |"
    echo "|---|---:|---:|"
    join <(awk '/^verified/ {print $2, $3}' "$OUT/host.log" | sort) \
         <(awk '/^verified/ {print $2, $3}' "$OUT/guest-result.log" | sort) |
        awk '{printf "| %s | %s | %s |\n", $1, $2, $3}'
} > "$OUT/verified.md"
cat "$OUT/verified.md"
echo "check-kernels: ok"

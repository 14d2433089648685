#!/usr/bin/env bash
# check-headers.sh must refuse a glibc header and accept the allowed set (run by make test).
set -euo pipefail
cd "$(dirname "$0")/../.."
multiarch=$(gcc -print-multiarch) resource=$(clang -print-resource-dir)
dep=$(mktemp --suffix=.d)
trap 'rm -f "$dep"' EXIT
printf 'x.o: bpf/src/xdpgate.bpf.c bpf/src/parse.h \\\n /usr/include/linux/ip.h /usr/include/%s/asm/types.h \\\n /usr/include/bpf/bpf_helpers.h %s/include/stddef.h\n' \
    "$multiarch" "$resource" > "$dep"
bpf/check-headers.sh "$dep" "$multiarch" "$resource" || { echo "check-headers-test: allowed headers refused" >&2; exit 1; }
echo " /usr/include/$multiarch/sys/socket.h" >> "$dep"
if out=$(bpf/check-headers.sh "$dep" "$multiarch" "$resource" 2>&1); then
    echo "check-headers-test: glibc's sys/socket.h was accepted" >&2; exit 1
fi
grep -q "sys/socket.h" <<< "$out" || { echo "check-headers-test: the refusal does not name the header: $out" >&2; exit 1; }
echo "check-headers-test: ok"

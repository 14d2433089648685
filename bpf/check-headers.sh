#!/usr/bin/env bash
# Fails when a BPF object's dependency file (clang -MD) names a header outside the allowed set:
# the project's own, kernel UAPI (linux/, asm/, asm-generic/), libbpf's bpf/ and clang's
# built-in headers. glibc's headers assume a host target; under -target bpf they ask for
# 32-bit stubs that a normal Debian install does not have (bpf/README.md, "Headers").
#
# usage: check-headers.sh DEPFILE MULTIARCH CLANG_RESOURCE_DIR
set -euo pipefail
dep=$1 multiarch=$2 resource=$3
allowed="^($PWD/)?bpf/|^/usr/include/linux/|^/usr/include/asm-generic/|^/usr/include/$multiarch/asm/|^/usr/include/bpf/|^$resource/include/"
bad=$(sed -e 's/^[^:]*://' -e 's/\\$//' "$dep" | tr ' ' '\n' | grep -v '^$' | grep -v '\.c$' |
      xargs -r realpath -s --relative-base="$PWD" | grep -Ev "$allowed" || true)
if [ -n "$bad" ]; then
    echo "check-headers: ${dep%.d}.o includes headers the packet processor may not use:" >&2
    echo "$bad" | sed 's/^/  /' >&2
    echo "  only kernel UAPI, libbpf and clang's own headers are allowed (bpf/README.md, \"Headers\")" >&2
    exit 1
fi

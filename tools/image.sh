#!/usr/bin/env bash
# make image: the node daemon's container image (helm/image/Dockerfile) as xdpgate:VERSION and
# xdpgate:latest, from the artifacts `make bpf` and the control plane's package already built.
#
# Base: $XDPGATE_IMAGE_BASE if set (e.g. debian:bookworm-slim, with a registry to pull it from);
# else xdpgate-base:bookworm, imported once from a debootstrap --variant=minbase bookworm root
# (the same pristine tarball make check-fresh caches in $XDPGATE_FRESH_CACHE), since no image
# registry is reachable from the build machine. Starts dockerd when none answers.
set -euo pipefail
cd "$(dirname "$0")/.."

VERSION=${XDPGATE_VERSION:-0.1.0-SNAPSHOT}
BASE=${XDPGATE_IMAGE_BASE:-xdpgate-base:bookworm}
CACHE=${XDPGATE_FRESH_CACHE:-/var/cache/xdpgate}
PRISTINE=$CACHE/bookworm-minbase.tar.gz
MIRROR=${XDPGATE_DEBIAN_MIRROR:-http://deb.debian.org/debian}
JAR=control-plane/target/xdpgate-control-plane-$VERSION.jar
started=$SECONDS
# Debian 12's docker.io client has only the classic builder (no buildx); say so for newer clients
export DOCKER_BUILDKIT=0

for f in bpf/build/xdpgate.bpf.o bpf/build/xdpgate_tc.bpf.o "$JAR"; do
    [ -s "$f" ] || { echo "image: $f missing (make bpf, and the control plane's package)" >&2; exit 1; }
done

if ! docker info > /dev/null 2>&1; then
    [ "$(id -u)" = 0 ] || { echo "image: no docker daemon answers, and starting one needs root" >&2; exit 1; }
    echo "image: no docker daemon answers; starting dockerd (log: /var/log/xdpgate-dockerd.log)"
    setsid dockerd > /var/log/xdpgate-dockerd.log 2>&1 < /dev/null &
    for _ in $(seq 60); do docker info > /dev/null 2>&1 && break; sleep 0.5; done
    docker info > /dev/null 2>&1 || { tail -20 /var/log/xdpgate-dockerd.log >&2; echo "image: dockerd did not come up" >&2; exit 1; }
fi

if [ "$BASE" = xdpgate-base:bookworm ] && ! docker image inspect "$BASE" > /dev/null 2>&1; then
    root=$(mktemp -d /var/tmp/xdpgate-base.XXXXXX)
    trap 'rm -rf --one-file-system "$root"' EXIT
    mkdir -p "$CACHE"
    if [ ! -s "$PRISTINE" ]; then
        echo "image: debootstrap --variant=minbase bookworm (once; cached in $PRISTINE)"
        debootstrap --variant=minbase bookworm "$root" "$MIRROR" > "$CACHE/debootstrap.log" 2>&1 ||
            { tail -20 "$CACHE/debootstrap.log" >&2; exit 1; }
        tar -C "$root" -czf "$PRISTINE.tmp" . && mv "$PRISTINE.tmp" "$PRISTINE"
    else
        tar -C "$root" -xzf "$PRISTINE"
    fi
    # as debian:bookworm-slim has it: updates and security, no downloaded packages or lists
    cat > "$root/etc/apt/sources.list" <<EOT
deb $MIRROR bookworm main
deb $MIRROR bookworm-updates main
deb ${MIRROR%/debian}/debian-security bookworm-security main
EOT
    rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/* "$root"/dev/* "$root"/proc/* "$root"/sys/*
    echo "image: importing the minbase root as $BASE"
    tar -C "$root" -c . | docker import -c 'CMD ["/bin/bash"]' - "$BASE" > /dev/null
    rm -rf --one-file-system "$root"
    trap - EXIT
fi

ctx=$(mktemp -d /var/tmp/xdpgate-image.XXXXXX)
trap 'rm -rf "$ctx"' EXIT
cp helm/image/Dockerfile helm/image/xdpgate-entrypoint bin/xdpgate bin/xdpgate-daemon \
   bpf/build/xdpgate.bpf.o bpf/build/xdpgate_tc.bpf.o "$ctx/"
cp "$JAR" "$ctx/xdpgate-control-plane.jar"
echo "image: building xdpgate:$VERSION on $BASE"
docker build --build-arg "BASE=$BASE" -t "xdpgate:$VERSION" -t xdpgate:latest "$ctx" > "$ctx.log" 2>&1 ||
    { tail -30 "$ctx.log" >&2; echo "image: docker build failed (log: $ctx.log)" >&2; exit 1; }
rm -f "$ctx.log"
echo "image: xdpgate:$VERSION ($(docker image inspect -f '{{.Size}}' "xdpgate:$VERSION" | awk '{printf "%.0f MB", $1/1e6}')) in $((SECONDS - started)) s"

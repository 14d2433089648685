# Sourced by the lab benchmarks: the daemon in xg-fw on the lab's two interfaces, as `make run`
# starts it. Needs ROOT, RUN, PINS and SOCK set.

# start_daemon POLICY: starts it with POLICY and waits for /healthz (DAEMON is its pid)
start_daemon() {
    nsenter --net=/run/netns/xg-fw "$ROOT/bin/xdpgate-daemon" --xdpgate.bpf-object="$ROOT/bpf/build/xdpgate.bpf.o" \
        --xdpgate.pin-dir="$PINS" --xdpgate.state-dir="$RUN/state" \
        --xdpgate.initial-policy="$1" \
        --xdpgate.api.socket="$SOCK" \
        --xdpgate.interfaces[0].name=ext0 --xdpgate.interfaces[0].role=external \
        --xdpgate.interfaces[1].name=int0 --xdpgate.interfaces[1].role=internal >> "$RUN/daemon.log" 2>&1 &
    DAEMON=$!
    for _ in $(seq 150); do
        curl -sf --unix-socket "$SOCK" http://localhost/healthz > /dev/null 2>&1 && return 0
        sleep 0.2
    done
    cat "$RUN/daemon.log" >&2
    return 1
}

# stop_daemon: detaches and unpins (so the next measurement runs without xdpgate), stops it and
# removes the gateways' veth pairs it made
stop_daemon() {
    curl -sf --unix-socket "$SOCK" -X POST "http://localhost/api/v1/datapath:detach?purge=true" > /dev/null || true
    kill "$DAEMON" 2>/dev/null || true
    wait "$DAEMON" 2>/dev/null || true
    DAEMON=
    local l
    for l in $(ip -n xg-fw -o link show | awk -F': ' '{print $2}' | cut -d@ -f1 | grep '^xgw'); do
        ip -n xg-fw link del "$l" 2>/dev/null || true
    done
}

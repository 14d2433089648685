#!/usr/bin/env bash
# `sudo make bench-lab`: iperf3 and wrk from xg-client through xg-fw to xg-server with no
# firewall (the limit), two floors on the same veths (a bare XDP_PASS program; a bare tc FIB
# forwarder), xdpgate (at tc, the lab's auto hook, and at XDP), iptables (legacy, linear) and
# nftables, each with 10 and 10,000 rules, in one run; writes bench/results/lab-throughput.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
DUR=${DUR:-5}
OUT=${OUT:-bench/results/lab-throughput.md}
RUN=/tmp/xdpgate-bench-lab
PINS=/sys/fs/bpf/xdpgate-bench
SOCK=$RUN/api.sock
fw() { ip netns exec xg-fw "$@"; }

cleanup() {
    [ -n "${DAEMON:-}" ] && kill "$DAEMON" 2>/dev/null || true
    lab/lab.sh down > /dev/null
    rm -rf "$PINS" "$RUN"
}
trap cleanup EXIT
mkdir -p "$RUN"
rm -rf "$PINS"
lab/lab.sh up > /dev/null
# nginx instead of the lab's python server: the server must not be the bottleneck
ip netns pids xg-server | xargs -r kill; sleep 0.5
cat > "$RUN/nginx.conf" <<NGX
worker_processes 1;
pid $RUN/nginx.pid;
error_log $RUN/nginx-error.log;
events { worker_connections 1024; }
http { access_log off; server { listen 80; root /tmp/xdpgate-lab-www; } }
NGX
ip netns exec xg-server nginx -c "$RUN/nginx.conf"
ip netns exec xg-server iperf3 -s -D --logfile "$RUN/iperf3.log"
sleep 1

# shellcheck source=bench/lab/servers.sh
. bench/lab/servers.sh

measure() { # against $SERVER; run() gives each measurement a fresh one (not here: this runs in a subshell)
    local gbps ka nc
    gbps=$(ip netns exec xg-client iperf3 -c "$SERVER" -t "$DUR" -J \
        | python3 -c 'import json,sys; print("%.2f" % (json.load(sys.stdin)["end"]["sum_received"]["bits_per_second"]/1e9))')
    ka=$(ip netns exec xg-client wrk -t2 -c16 -d"${DUR}s" "http://$SERVER/index.html" | awk '/Requests\/sec/ {print $2}')
    nc=$(ip netns exec xg-client wrk -t2 -c16 -d"${DUR}s" -H 'Connection: close' "http://$SERVER/index.html" \
        | awk '/Requests\/sec/ {print $2}')
    echo "$gbps $ka $nc"
}

declare -A RESULT
run() { # name
    fresh_server
    RESULT[$1]=$(measure)
    echo "$1: ${RESULT[$1]}" >&2
}

off() { # take every program off both interfaces
    for d in ext0 int0; do
        fw ip link set dev "$d" xdp off
        fw tc qdisc del dev "$d" clsact 2> /dev/null || true
    done
}

xdpgate() { # name rules hook
    python3 bench/lab/rules.py "$2" xdpgate > "$RUN/policy.json"
    rm -rf "$PINS" "$RUN/state"
    nsenter --net=/run/netns/xg-fw "$ROOT/bin/xdpgate-daemon" --xdpgate.bpf-object="$ROOT/bpf/build/xdpgate.bpf.o" \
        --xdpgate.pin-dir="$PINS" --xdpgate.state-dir="$RUN/state" --xdpgate.initial-policy="$RUN/policy.json" \
        --xdpgate.api.socket="$SOCK" \
        --xdpgate.interfaces[0].name=ext0 --xdpgate.interfaces[0].role=external --xdpgate.interfaces[0].hook="$3" \
        --xdpgate.interfaces[1].name=int0 --xdpgate.interfaces[1].role=internal --xdpgate.interfaces[1].hook="$3" \
        > "$RUN/daemon-$1.log" 2>&1 &
    DAEMON=$!
    for _ in $(seq 150); do
        curl -sf --unix-socket "$SOCK" http://localhost/healthz > /dev/null 2>&1 && break
        sleep 0.2
    done
    run "$1"
    kill "$DAEMON"; wait "$DAEMON" 2>/dev/null || true; DAEMON=
    off
}

run none
for d in ext0 int0; do fw ip link set dev "$d" xdpdrv obj "$ROOT/bench/build/floor.bpf.o" sec xdp; done
run xdppass-0
off
for d in ext0 int0; do
    fw tc qdisc add dev "$d" clsact
    fw tc filter add dev "$d" ingress bpf da obj "$ROOT/bench/build/floor.bpf.o" sec tc
done
run tcfib-0
off
for n in 10 10000; do
    xdpgate "xdpgate-$n" "$n" tc
    [ "$n" = 10000 ] && xdpgate "xdpgate@xdp-$n" "$n" xdp
    python3 bench/lab/rules.py "$n" iptables | fw iptables-legacy-restore
    run "iptables-$n"
    fw iptables-legacy -F; fw iptables-legacy -P FORWARD ACCEPT
    python3 bench/lab/rules.py "$n" nftables | fw nft -f -
    run "nftables-$n"
    fw nft flush ruleset
done

read -r base_g base_ka base_nc <<< "${RESULT[none]}"
{
    echo "# Lab throughput: xdpgate vs iptables vs nftables vs no firewall"
    echo
    echo "Command: \`sudo make bench-lab\` ($DUR s per measurement). Date: $(date -u +%F). Kernel: $(uname -r)."
    echo "CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores shared by client, firewall and server."
    echo
    echo "Path: xg-client -> xg-fw (veths ext0/int0) -> xg-server (nginx, iperf3). xdpgate runs at tc ingress"
    echo "(the auto hook on veths) or at XDP (xdpgate@xdp), forwarding admitted packets itself (FIB lookup and"
    echo "redirect, the default \`xdpgate.forwarding=fib\`); iptables and nftables forward through the stack."
    echo "Floors: a bare XDP_PASS program (the stack forwards) and a bare tc forwarder (bpf_fib_lookup +"
    echo "bpf_redirect_neigh), on the same veths."
    echo "Rules: N-1 rules dropping TCP to other hosts, then the rule admitting the client's web and"
    echo "iperf3 traffic; default drop; replies follow connection tracking (xdpgate's own; conntrack for"
    echo "iptables-legacy and nftables). Ratios are to the no-firewall run of the same invocation. Each"
    echo "measurement talks to a server address of its own (198.18.2.11 on), so no run meets the TIME_WAIT"
    echo "sockets of the one before."
    echo
    echo "| firewall | rules | iperf3 Gbit/s | x limit | wrk keep-alive req/s | x limit | wrk new connection req/s | x limit |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|"
    for name in none xdppass-0 tcfib-0 xdpgate-10 iptables-10 nftables-10 xdpgate-10000 xdpgate@xdp-10000 \
        iptables-10000 nftables-10000; do
        read -r g ka nc <<< "${RESULT[$name]}"
        fwname=${name%-*}; rules=${name##*-}
        [ "$name" = none ] && fwname="none (limit)" && rules=0
        [ "$name" = xdppass-0 ] && fwname="floor: XDP_PASS"
        [ "$name" = tcfib-0 ] && fwname="floor: bare tc FIB forwarder"
        python3 - "$fwname" "$rules" "$g" "$ka" "$nc" "$base_g" "$base_ka" "$base_nc" <<'PY'
import sys
f, r, g, ka, nc, bg, bka, bnc = sys.argv[1:]
g, ka, nc, bg, bka, bnc = map(float, (g, ka, nc, bg, bka, bnc))
print("| %s | %s | %.2f | %.2f | %.0f | %.2f | %.0f | %.2f |" % (f, format(int(r), ","), g, g / bg, ka, ka / bka, nc, nc / bnc))
PY
    done
} > "$OUT"
cat "$OUT"

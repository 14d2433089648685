#!/usr/bin/env bash
# `sudo make bench-tls`: TLS handshakes per second from wrk on xg-client to nginx on xg-server
# (port 443, the lab's certificate) with no firewall and through the xdpgate TLS gateway (the lab
# policy: each ClientHello's server name judged, then the connection relayed unparsed), in one
# run: a new connection, so a full handshake, for every request ("Connection: close"), and
# keep-alive (one handshake per connection, then the relay). Each figure the median of ROUNDS
# runs. Writes bench/results/tls-gateway.md. Needs wrk (tools/deps.sh bench).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
DUR=${DUR:-8}
CONNS=${CONNS:-16}
ROUNDS=${ROUNDS:-3}
OUT=${OUT:-bench/results/tls-gateway.md}
RUN=/tmp/xdpgate-bench-tls
PINS=/sys/fs/bpf/xdpgate-bench-tls
SOCK=$RUN/api.sock
URL=https://www.lab.example/index.html
. bench/lab/daemon.sh

cleanup() {
    [ -n "${DAEMON:-}" ] && kill "$DAEMON" 2>/dev/null || true
    lab/lab.sh down > /dev/null
    rm -rf "$PINS" "$RUN" /etc/netns/xg-client
}
trap cleanup EXIT
rm -rf "$PINS" "$RUN"
mkdir -p "$RUN" /etc/netns/xg-client
lab/lab.sh up > /dev/null
# wrk sends the URL's host as the server name (SNI): ip netns exec gives xg-client this hosts file
echo "198.18.2.2 www.lab.example" > /etc/netns/xg-client/hosts

# one wrk run -> requests/s; errors fail the benchmark
wrk_run() {
    ip netns exec xg-client wrk -t2 -c"$CONNS" -d"${DUR}s" "$@" "$URL" | python3 -c '
import re, sys
text = sys.stdin.read()
rps = re.search(r"Requests/sec:\s+([\d.]+)", text)
if not rps or re.search(r"Socket errors|Non-2xx", text):
    sys.exit("wrk failed:\n" + text)
print("%.0f" % float(rps.group(1)))'
}

declare -A RESULT
run() { # name wrk-options...
    local name=$1 all=""
    shift
    for _ in $(seq "$ROUNDS"); do
        all+="$(wrk_run "$@")"$'\n'
    done
    RESULT[$name]=$(printf '%s' "$all" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
    echo "$name: ${RESULT[$name]} req/s (median of $ROUNDS)" >&2
}

run direct-new -H "Connection: close"
run direct-keep
start_daemon "$ROOT/control-plane/src/main/resources/default-policy.json"
sleep 2
run xdpgate-new -H "Connection: close"
run xdpgate-keep
curl -sf --unix-socket "$SOCK" http://localhost/api/v1/gateways > "$RUN/gateways.json"
stop_daemon
DENIED=$(python3 -c '
import json, sys
g = [g for g in json.load(open(sys.argv[1])) if g["name"] == "tls"][0]
print(g["counters"]["flows_denied"])' "$RUN/gateways.json" 2>/dev/null || echo "?")

ratio() { echo "scale=2; $1 / $2" | bc; }
mkdir -p "$(dirname "$OUT")"
{
    echo "# TLS gateway: handshakes per second (\`sudo make bench-tls\`)"
    echo
    echo "$(date -u +%Y-%m-%d), $(uname -r), $(nproc) cores; wrk -t2 -c$CONNS -d${DUR}s $URL from xg-client to"
    echo "nginx on xg-server, median of $ROUNDS runs; $DENIED connections refused by the gateway. New"
    echo "connections: \`Connection: close\`, a full TLS 1.3 handshake per request (requests/s = handshakes/s)."
    echo
    echo "| path | handshakes/s (new connections) | x direct | keep-alive req/s | x direct |"
    echo "|---|---:|---:|---:|---:|"
    echo "| direct (no firewall) | ${RESULT[direct-new]} | 1.00 | ${RESULT[direct-keep]} | 1.00 |"
    echo "| xdpgate TLS gateway | ${RESULT[xdpgate-new]} | $(ratio "${RESULT[xdpgate-new]}" "${RESULT[direct-new]}") | ${RESULT[xdpgate-keep]} | $(ratio "${RESULT[xdpgate-keep]}" "${RESULT[direct-keep]}") |"
} > "$OUT"
cat "$OUT"

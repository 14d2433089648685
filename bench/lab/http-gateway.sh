#!/usr/bin/env bash
# `sudo make bench-gateway`: wrk from xg-client to nginx on xg-server (port 80) with no
# firewall (the limit), through the xdpgate HTTP gateway (the lab policy), and through Squid
# in intercept mode (iptables REDIRECT), in one run: keep-alive and new-connection req/s with
# p50/p99 latency, each the median of ROUNDS runs (p99 is noisy here); the gateway with one and
# with two instances; the daemon's resident memory idle and with HOLD open redirected
# connections. Writes bench/results/http-gateway.md. Needs wrk nginx-light squid iptables.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
DUR=${DUR:-8}
CONNS=${CONNS:-16}
ROUNDS=${ROUNDS:-3}
HOLD=${HOLD:-10000}
OUT=${OUT:-bench/results/http-gateway.md}
RUN=/tmp/xdpgate-bench-gw
PINS=/sys/fs/bpf/xdpgate-bench-gw
SOCK=$RUN/api.sock
URL=http://198.18.2.2/index.html
# shellcheck source=bench/lab/servers.sh
. bench/lab/servers.sh
. bench/lab/daemon.sh
fw() { ip netns exec xg-fw "$@"; }

cleanup() {
    [ -n "${DAEMON:-}" ] && kill "$DAEMON" 2>/dev/null || true
    [ -f "$RUN/squid.pid" ] && kill "$(cat "$RUN/squid.pid")" 2>/dev/null || true
    pkill -f "squid -f $RUN/squid.conf" 2>/dev/null || true
    lab/lab.sh down > /dev/null
    rm -rf "$PINS" "$RUN"
}
trap cleanup EXIT
rm -rf "$PINS" "$RUN"
mkdir -p "$RUN"
chmod 755 "$RUN"
lab/lab.sh up > /dev/null
# nginx instead of the lab's python server: the server must not be the bottleneck
ip netns pids xg-server | xargs -r kill; sleep 0.5
cat > "$RUN/nginx.conf" <<NGX
worker_processes 1;
pid $RUN/nginx.pid;
error_log $RUN/nginx-error.log;
worker_rlimit_nofile 65536;
events { worker_connections 30000; }
http { access_log off; keepalive_requests 1000000; server { listen 80; listen [::]:80; root /tmp/xdpgate-lab-www; } }
NGX
ip netns exec xg-server nginx -c "$RUN/nginx.conf"
sleep 0.5

# wrk with latency distribution -> "req/s p50_ms p99_ms"
wrk_run() {
    ip netns exec xg-client wrk -t2 -c"$CONNS" -d"${DUR}s" --latency "$@" "$URL" | python3 -c '
import re, sys
text = sys.stdin.read()
rps = re.search(r"Requests/sec:\s+([\d.]+)", text).group(1)
def ms(p):
    m = re.search(r"^\s+" + p + r"%\s+([\d.]+)(us|ms|s)\s*$", text, re.M)
    v, u = float(m.group(1)), m.group(2)
    return v / 1000 if u == "us" else v * 1000 if u == "s" else v
errors = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
if errors:
    sys.exit("wrk saw %s error responses:\n%s" % (errors.group(1), text))
print(rps, "%.3f" % ms("50"), "%.3f" % ms("99"))'
}

# the median of each of the six figures over ROUNDS runs of both kinds
median_of() {
    python3 -c '
import statistics, sys
rows = [list(map(float, l.split())) for l in sys.stdin if l.strip()]
print(" ".join("%g" % statistics.median(c) for c in zip(*rows)))'
}

declare -A RESULT
run() { # name
    local all=""
    for _ in $(seq "$ROUNDS"); do
        fresh_server
        URL=http://$SERVER/index.html
        all+="$(wrk_run) $(wrk_run -H 'Connection: close')"$'\n'
    done
    RESULT[$1]="$(printf '%s' "$all" | median_of)"
    echo "$1: ${RESULT[$1]} (median of $ROUNDS)" >&2
}

rss_mb() { awk '/VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$DAEMON/status"; }
api() { curl -sf --unix-socket "$SOCK" "$@"; }

# the lab policy with a pool for HOLD connections and, when given, the gateway's instances
policy() { # instances
    python3 - "$ROOT/control-plane/src/main/resources/default-policy.json" "$1" "$HOLD" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
gw = doc["gateways"][0]
gw["ports"] = "40000-%d" % (40000 + int(sys.argv[3]) + 1999)
gw["instances"] = int(sys.argv[2])
print(json.dumps(doc))
PY
}

# HOLD connections from xg-client through the gateway, open at once: the daemon's memory then
hold_connections() {
    ip netns exec xg-client bash -c "ulimit -n 65536 2>/dev/null; exec python3 -c '
import socket, sys
socks = []
for i in range($HOLD):
    s = socket.create_connection((\"198.18.2.2\", 80), timeout=10)
    socks.append(s)
print(len(socks), flush=True)
sys.stdin.read()
'" < "$RUN/hold.fifo" > "$RUN/hold.out" &
    HOLDER=$!
    exec 7> "$RUN/hold.fifo"
    for _ in $(seq 600); do
        [ -s "$RUN/hold.out" ] && break
        sleep 0.2
    done
    [ -s "$RUN/hold.out" ] || { echo "the $HOLD connections did not open" >&2; exit 1; }
    sleep 2
}

run direct

policy 1 > "$RUN/policy-1.json"
policy 2 > "$RUN/policy-2.json"
start_daemon "$RUN/policy-1.json"
ip netns exec xg-client curl -sf -o /dev/null "$URL" || { cat "$RUN/daemon.log"; exit 1; }
sleep 5
RSS_IDLE=$(rss_mb)
run xdpgate
RSS_AFTER=$(rss_mb)
mkfifo "$RUN/hold.fifo"
hold_connections
HELD=$(api http://localhost/api/v1/gateways | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["flows"])')
RSS_HOLD=$(rss_mb)
exec 7>&-
wait "$HOLDER" 2>/dev/null || true
echo "daemon RSS: idle $RSS_IDLE MB, after the runs $RSS_AFTER MB, with $HELD open redirected connections $RSS_HOLD MB" >&2
api -X PUT -H 'Content-Type: application/json' --data-binary @"$RUN/policy-2.json" http://localhost/api/v1/policy > /dev/null
for _ in $(seq 50); do
    api http://localhost/api/v1/gateways | grep -q '"state":"running"' && break
    sleep 0.2
done
sleep 1
run xdpgate2
api http://localhost/api/v1/gateways > "$RUN/gateways.json"
stop_daemon

cat > "$RUN/squid.conf" <<SQ
http_port 3128
http_port 3129 intercept
http_access allow all
cache deny all
access_log none
cache_log $RUN/squid-cache.log
pid_filename $RUN/squid.pid
coredump_dir $RUN
workers 1
SQ
fw iptables -t nat -A PREROUTING -i ext0 -p tcp --dport 80 -j REDIRECT --to-ports 3129
fw squid -f "$RUN/squid.conf" -N > "$RUN/squid.out" 2>&1 &
for _ in $(seq 100); do
    ip netns exec xg-client curl -sf -o /dev/null -m 2 "$URL" && break
    sleep 0.3
done
ip netns exec xg-client curl -sf -o /dev/null "$URL" || { cat "$RUN/squid.out" "$RUN/squid-cache.log"; exit 1; }
run squid
fw iptables -t nat -F

read -r d_ka d_ka50 d_ka99 d_nc d_nc50 d_nc99 <<< "${RESULT[direct]}"
read -r x_ka x_ka50 x_ka99 x_nc x_nc50 x_nc99 <<< "${RESULT[xdpgate]}"
read -r s_ka s_ka50 s_ka99 s_nc s_nc50 s_nc99 <<< "${RESULT[squid]}"
{
    echo "# HTTP gateway: wrk through the lab"
    echo
    echo "Command: \`sudo make bench-gateway\` (bench/lab/http-gateway.sh). Date: $(date -u +%F). Kernel: $(uname -r)."
    echo "wrk -t2 -c$CONNS -d${DUR}s --latency from xg-client to nginx on xg-server (GET /index.html, 21 bytes),"
    echo "all on this machine's $(nproc) cores: client, firewall, gateway and server share them. Direct: no"
    echo "firewall. xdpgate: the lab policy (TCP/80 redirected to the HTTP gateway, every request parsed and"
    echo "checked, every segment held until approved), with one instance and (xdpgate x2) two. Squid $(squid -v | sed -n 's/.*Version \([0-9.]*\).*/\1/p'): \`http_port 3129 intercept\`,"
    echo "iptables REDIRECT, no cache, no access log. New connection: \`Connection: close\` on every request."
    echo "Each figure is the median of $ROUNDS runs, each against a server address of its own (198.18.2.11 on),"
    echo "so no run meets the TIME_WAIT sockets of the one before."
    echo
    echo "| path | keep-alive req/s | x direct | p50 ms | p99 ms | new-connection req/s | x direct | p50 ms | p99 ms |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
    for n in direct xdpgate xdpgate2 squid; do
        read -r ka ka50 ka99 nc nc50 nc99 <<< "${RESULT[$n]}"
        label=$n; [ "$n" = xdpgate2 ] && label="xdpgate x2"
        printf '| %s | %.0f | %.2f | %s | %s | %.0f | %.2f | %s | %s |\n' "$label" "$ka" \
            "$(echo "$ka / $d_ka" | bc -l)" "$ka50" "$ka99" "$nc" "$(echo "$nc / $d_nc" | bc -l)" "$nc50" "$nc99"
    done
    echo
    read -r x2_ka x2_ka50 x2_ka99 x2_nc x2_nc50 x2_nc99 <<< "${RESULT[xdpgate2]}"
    printf 'xdpgate vs Squid: keep-alive %.2fx, new connection %.2fx (two instances: %.2fx, %.2fx). p99 keep-alive %.3f ms vs direct %.3f ms (target <= 2 x direct + 1 ms = %.3f ms).\n' \
        "$(echo "$x_ka / $s_ka" | bc -l)" "$(echo "$x_nc / $s_nc" | bc -l)" "$(echo "$x2_ka / $s_ka" | bc -l)" \
        "$(echo "$x2_nc / $s_nc" | bc -l)" "$x_ka99" "$d_ka99" "$(echo "2 * $d_ka99 + 1" | bc -l)"
    echo
    echo "Daemon resident memory (VmRSS): $RSS_IDLE MB idle (policy applied, gateway running), $RSS_AFTER MB after"
    echo "the xdpgate runs, $RSS_HOLD MB with $HELD redirected connections open at once (HOLD=$HOLD from xg-client)."
} > "$OUT"
cat "$OUT"

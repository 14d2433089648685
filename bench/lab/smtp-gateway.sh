#!/usr/bin/env bash
# `sudo make bench-smtp`: messages per second from Postfix's smtp-source on xg-client to
# Postfix's smtp-sink on xg-server (it takes every message and keeps none, so the server is not
# the limit) with no firewall, then through the xdpgate SMTP gateway (the lab policy: every
# command, the dialog and the text checked), in one run: a new connection for every message, and
# many messages over each connection. Each figure the median of ROUNDS runs. Writes
# bench/results/smtp-gateway.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
SESSIONS=${SESSIONS:-16}
MESSAGES=${MESSAGES:-4000}
SIZE=${SIZE:-4096}
ROUNDS=${ROUNDS:-3}
OUT=${OUT:-bench/results/smtp-gateway.md}
RUN=/tmp/xdpgate-bench-smtp
PINS=/sys/fs/bpf/xdpgate-bench-smtp
SOCK=$RUN/api.sock
. bench/lab/daemon.sh

cleanup() {
    [ -n "${DAEMON:-}" ] && kill "$DAEMON" 2>/dev/null || true
    lab/lab.sh down > /dev/null
    rm -rf "$PINS" "$RUN"
}
trap cleanup EXIT
rm -rf "$PINS" "$RUN"
mkdir -p "$RUN"
lab/lab.sh up > /dev/null
# the lab's Postfix queues and delivers: smtp-sink instead, on the same address and port
ip netns exec xg-server postfix -c /tmp/xdpgate-lab/postfix/etc stop > /dev/null 2>&1 || true
for _ in $(seq 50); do
    ip netns exec xg-server ss -Hltn 'sport = :25' | grep -q . || break
    sleep 0.1
done
ip netns exec xg-server smtp-sink -u nobody -h mail.lab.example 198.18.2.2:25 1024 > "$RUN/sink.out" 2>&1 &
SINK=$!
for _ in $(seq 50); do
    ip netns exec xg-server ss -Hltn 'sport = :25' | grep -q . && break
    sleep 0.1
done

# one run: "messages/s" for MESSAGES messages of SIZE bytes over SESSIONS parallel sessions;
# $1 = -d for many messages per connection, "" for one connection per message
source_run() {
    local start end
    start=$(date +%s.%N)
    # shellcheck disable=SC2086
    ip netns exec xg-client smtp-source $1 -s "$SESSIONS" -m "$MESSAGES" -l "$SIZE" -f alice@lab.example \
        -t bob@lab.example 198.18.2.2:25 > "$RUN/source.out" 2>&1 || { cat "$RUN/source.out" >&2; exit 1; }
    end=$(date +%s.%N)
    if grep -q . "$RUN/source.out"; then cat "$RUN/source.out" >&2; exit 1; fi
    echo "$MESSAGES $start $end" | awk '{ printf "%.0f\n", $1 / ($3 - $2) }'
}

declare -A RESULT
run() { # name mode
    local all=""
    for _ in $(seq "$ROUNDS"); do
        all+="$(source_run "$2")"$'\n'
    done
    RESULT[$1]=$(printf '%s' "$all" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
    echo "$1: ${RESULT[$1]} messages/s (median of $ROUNDS)" >&2
}

run direct-new ""
run direct-reuse -d
# the lab policy with a larger pool for the gateway: each redirected connection holds a pool port
# until the kernel forgets it, well after it closed, and a run opens thousands a second
python3 -c '
import json, sys
p = json.load(open(sys.argv[1]))
[g for g in p["gateways"] if g["name"] == "mail"][0]["ports"] = "43000-62999"
json.dump(p, open(sys.argv[2], "w"))' control-plane/src/main/resources/default-policy.json "$RUN/policy.json"
start_daemon "$RUN/policy.json"
sleep 2
run xdpgate-new ""
run xdpgate-reuse -d
curl -sf --unix-socket "$SOCK" http://localhost/api/v1/gateways > "$RUN/gateways.json"
stop_daemon
kill "$SINK" 2>/dev/null || true
DENIED=$(python3 -c '
import json, sys
g = [g for g in json.load(open(sys.argv[1])) if g["name"] == "mail"][0]
print(g["counters"]["flows_denied"])' "$RUN/gateways.json" 2>/dev/null || echo "?")

ratio() { echo "scale=2; $1 / $2" | bc; }
mkdir -p "$(dirname "$OUT")"
{
    echo "# SMTP gateway: messages per second (\`sudo make bench-smtp\`)"
    echo
    echo "$(date -u +%Y-%m-%d), $(uname -r), $(nproc) cores; smtp-source -s $SESSIONS -m $MESSAGES -l $SIZE from"
    echo "xg-client to smtp-sink on xg-server, median of $ROUNDS runs. Through the gateway every command is"
    echo "judged, every reply followed and the text scanned for its line ends and size (the lab policy's"
    echo "gateway \`mail\`, its pool widened to 20,000 ports); $DENIED connections refused."
    echo
    echo "| path | a connection per message | many messages per connection |"
    echo "|---|---:|---:|"
    echo "| direct (no firewall) | ${RESULT[direct-new]} | ${RESULT[direct-reuse]} |"
    echo "| xdpgate SMTP gateway | ${RESULT[xdpgate-new]} ($(ratio "${RESULT[xdpgate-new]}" "${RESULT[direct-new]}")x) | ${RESULT[xdpgate-reuse]} ($(ratio "${RESULT[xdpgate-reuse]}" "${RESULT[direct-reuse]}")x) |"
} > "$OUT"
cat "$OUT"

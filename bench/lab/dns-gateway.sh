#!/usr/bin/env bash
# `sudo make bench-dns`: dnsperf from xg-client to dnsmasq on xg-server (UDP/53) with no firewall
# (the limit), through the xdpgate DNS gateway (the lab policy: names, types and responses
# checked), and through dnsdist in xg-fw with the same allow list (iptables REDIRECT), in one run;
# each figure the median of ROUNDS runs. Writes bench/results/dns-gateway.md. Needs dnsperf
# dnsdist iptables (tools/deps.sh bench).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
DUR=${DUR:-8}
CLIENTS=${CLIENTS:-4}
ROUNDS=${ROUNDS:-3}
OUT=${OUT:-bench/results/dns-gateway.md}
RUN=/tmp/xdpgate-bench-dns
PINS=/sys/fs/bpf/xdpgate-bench-dns
SOCK=$RUN/api.sock
fw() { ip netns exec xg-fw "$@"; }
. bench/lab/daemon.sh

cleanup() {
    [ -n "${DAEMON:-}" ] && kill "$DAEMON" 2>/dev/null || true
    pkill -f "dnsdist -C $RUN/dnsdist.conf" 2>/dev/null || true
    lab/lab.sh down > /dev/null
    rm -rf "$PINS" "$RUN"
}
trap cleanup EXIT
rm -rf "$PINS" "$RUN"
mkdir -p "$RUN"
lab/lab.sh up > /dev/null
# the lab's dnsmasq logs every query: the bench's does not, so the server is not the bottleneck
ip netns pids xg-server | xargs -r kill
start_dnsmasq() {
    ip netns exec xg-server dnsmasq --keep-in-foreground --user=root --no-resolv --no-hosts --no-poll \
        --bind-interfaces --listen-address=198.18.2.2 --port=53 --dns-forward-max=1000 \
        --host-record=www.lab.example,198.18.2.80 --host-record=mail.lab.example,198.18.2.25 \
        --txt-record=lab.example,"hello" > "$RUN/dnsmasq.out" 2>&1 &
    DNSMASQ=$!
}
start_dnsmasq
for _ in $(seq 50); do
    ip netns exec xg-client dig +short +time=1 +tries=1 @198.18.2.2 www.lab.example 2>/dev/null | grep -q 198.18.2.80 && break
    # the lab's dnsmasq may still have held the port: start again once it is gone
    kill -0 "$DNSMASQ" 2>/dev/null || start_dnsmasq
    sleep 0.2
done
# allowed queries only: each must be answered NOERROR, by the server
printf 'www.lab.example A\nmail.lab.example A\nlab.example TXT\nwww.lab.example AAAA\n' > "$RUN/queries"

# dnsperf -> "qps avg_latency_ms lost"
perf_run() {
    ip netns exec xg-client dnsperf -s 198.18.2.2 -d "$RUN/queries" -l "$DUR" -c "$CLIENTS" -q 200 -t 2 2>&1 | python3 -c '
import re, sys
text = sys.stdin.read()
qps = re.search(r"Queries per second:\s+([\d.]+)", text)
lat = re.search(r"Average Latency \(s\):\s+([\d.]+)", text)
lost = re.search(r"Queries lost:\s+(\d+)", text)
codes = re.search(r"Response codes:\s+(.*)", text)
if not qps or (codes and "NOERROR" not in codes.group(1)):
    sys.exit("dnsperf failed:\n" + text)
print(qps.group(1), "%.3f" % (float(lat.group(1)) * 1000), lost.group(1))'
}

declare -A RESULT
run() { # name
    local all=""
    for _ in $(seq "$ROUNDS"); do
        all+="$(perf_run)"$'\n'
    done
    RESULT[$1]="$(printf '%s' "$all" | python3 -c '
import statistics, sys
rows = [list(map(float, l.split())) for l in sys.stdin if l.strip()]
print(" ".join("%g" % statistics.median(c) for c in zip(*rows)))')"
    echo "$1: ${RESULT[$1]} (median of $ROUNDS)" >&2
}

run direct

start_daemon "$ROOT/control-plane/src/main/resources/default-policy.json"
ip netns exec xg-client dig +short +time=2 @198.18.2.2 www.lab.example | grep -q 198.18.2.80 \
    || { cat "$RUN/daemon.log"; exit 1; }
sleep 2
run xdpgate
curl -sf --unix-socket "$SOCK" http://localhost/api/v1/gateways > "$RUN/gateways.json"
stop_daemon

# dnsdist with the lab policy's DNS allow list: names under lab.example but not one label under
# blocked.lab.example, types A AAAA TXT MX SOA NS, standard IN queries; the rest REFUSED
cat > "$RUN/dnsdist.conf" <<DD
setSecurityPollSuffix("")
setLocal("0.0.0.0:5300")
setACL({"198.18.0.0/15"})
newServer({address="198.18.2.2:53", checkInterval=3600})
blocked = newSuffixMatchNode()
blocked:add(newDNSName("blocked.lab.example"))
lab = newSuffixMatchNode()
lab:add(newDNSName("lab.example"))
addAction(NotRule(OpcodeRule(DNSOpcode.Query)), RCodeAction(DNSRCode.REFUSED))
addAction(NotRule(QClassRule(DNSClass.IN)), RCodeAction(DNSRCode.REFUSED))
addAction(AndRule({SuffixMatchNodeRule(blocked), QNameLabelsCountRule(4, 4)}), RCodeAction(DNSRCode.REFUSED))
addAction(NotRule(SuffixMatchNodeRule(lab)), RCodeAction(DNSRCode.REFUSED))
addAction(NotRule(OrRule({QTypeRule(DNSQType.A), QTypeRule(DNSQType.AAAA), QTypeRule(DNSQType.TXT),
    QTypeRule(DNSQType.MX), QTypeRule(DNSQType.SOA), QTypeRule(DNSQType.NS)})), RCodeAction(DNSRCode.REFUSED))
DD
fw iptables -t nat -A PREROUTING -i ext0 -p udp --dport 53 -j REDIRECT --to-ports 5300
fw dnsdist -C "$RUN/dnsdist.conf" --supervised --disable-syslog > "$RUN/dnsdist.out" 2>&1 &
for _ in $(seq 50); do
    ip netns exec xg-client dig +short +time=1 +tries=1 @198.18.2.2 www.lab.example 2>/dev/null | grep -q 198.18.2.80 && break
    sleep 0.3
done
ip netns exec xg-client dig +short +time=2 @198.18.2.2 x.blocked.lab.example | grep -q "^198" \
    && { echo "dnsdist let a denied name through" >&2; exit 1; }
run dnsdist
fw iptables -t nat -F

read -r d_qps d_lat d_lost <<< "${RESULT[direct]}"
read -r x_qps _ _ <<< "${RESULT[xdpgate]}"
read -r s_qps _ _ <<< "${RESULT[dnsdist]}"
{
    echo "# DNS gateway: dnsperf through the lab"
    echo
    echo "Command: \`sudo make bench-dns\` (bench/lab/dns-gateway.sh). Date: $(date -u +%F). Kernel: $(uname -r)."
    echo "dnsperf -c$CLIENTS -q200 -l$DUR from xg-client to dnsmasq on xg-server (UDP, four allowed queries in"
    echo "turn), all on this machine's $(nproc) cores: client, firewall, gateway and server share them. Direct:"
    echo "no firewall. xdpgate: the lab policy (UDP/53 redirected to the DNS gateway: every message parsed"
    echo "whole, names, types and class checked, every response matched to its query). dnsdist"
    echo "$(dnsdist --version 2>/dev/null | sed -n 's/^dnsdist \([0-9.]*\).*/\1/p'): the same allow list as rules, in xg-fw behind iptables REDIRECT, one"
    echo "listener. Each figure is the median of $ROUNDS runs."
    echo
    echo "| path | queries/s | x direct | avg latency ms | lost |"
    echo "|---|---:|---:|---:|---:|"
    for n in direct xdpgate dnsdist; do
        read -r q l lost <<< "${RESULT[$n]}"
        echo "| $n | $q | $(printf "%.2f" "$(echo "scale=4; $q / $d_qps" | bc)") | $l | $lost |"
    done
    echo
    echo "xdpgate / dnsdist: $(printf "%.2f" "$(echo "scale=4; $x_qps / $s_qps" | bc)")x."
} > "$OUT"
cat "$OUT"

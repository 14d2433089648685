#!/usr/bin/env bash
# `sudo make bench-ftp`: the time curl on xg-client takes to fetch a 50 MB file from vsftpd on
# xg-server, passive (EPSV) and active (EPRT), with no firewall and through xdpgate (the lab
# policy: the control connection through the FTP gateway, the data connection admitted by the
# expectation it asked for and passed in the kernel), in one run; each figure the median of
# ROUNDS transfers, the file's sha256 checked every time. Writes bench/results/ftp-gateway.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
ROUNDS=${ROUNDS:-5}
OUT=${OUT:-bench/results/ftp-gateway.md}
RUN=/tmp/xdpgate-bench-ftp
PINS=/sys/fs/bpf/xdpgate-bench-ftp
SOCK=$RUN/api.sock
FILE=/tmp/xdpgate-lab-www/50M.bin
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
WANT=$(sha256sum "$FILE" | cut -d' ' -f1)

# one transfer: "total data" seconds, data = from the transfer's start (the control dialog done:
# login, EPSV/EPRT, RETR) to its end; $1: curl options ("" passive EPSV, "-P -" active EPRT)
fetch() {
    local t
    # shellcheck disable=SC2086
    t=$(ip netns exec xg-client curl -sS -m 120 $1 -o "$RUN/got.bin" -w '%{time_total} %{time_pretransfer}' \
        ftp://198.18.2.2/50M.bin | awk '{ printf "%.4f %.4f", $1, $1 - $2 }')
    [ "$(sha256sum "$RUN/got.bin" | cut -d' ' -f1)" = "$WANT" ] || { echo "sha256 mismatch ($1)" >&2; exit 1; }
    echo "$t"
}

declare -A RESULT
run() { # name options
    local all=""
    for _ in $(seq "$ROUNDS"); do
        all+="$(fetch "$2")"$'\n'
    done
    RESULT[$1]=$(printf '%s' "$all" | sort -n -k1 | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
    RESULT[$1-data]=$(printf '%s' "$all" | sort -n -k2 | awk '{ a[NR] = $2 } END { print a[int((NR + 1) / 2)] }')
    echo "$1: ${RESULT[$1]} s, data ${RESULT[$1-data]} s (median of $ROUNDS)" >&2
}

run direct-passive ""
run direct-active "-P -"
start_daemon "$ROOT/control-plane/src/main/resources/default-policy.json"
sleep 2
run xdpgate-passive ""
run xdpgate-active "-P -"
HITS=$(curl -sf --unix-socket "$SOCK" http://localhost/api/v1/stats | python3 -c 'import json,sys; print(json.load(sys.stdin)["counters"]["expect_hit"])')
stop_daemon

speed() { echo "scale=2; $1 / $2" | bc; }
mkdir -p "$(dirname "$OUT")"
{
    echo "# FTP: a 50 MB transfer (\`sudo make bench-ftp\`)"
    echo
    echo "$(date -u +%Y-%m-%d), $(uname -r), $(nproc) cores; curl from xg-client to vsftpd on xg-server, median"
    echo "of $ROUNDS transfers, sha256 checked each time. Through xdpgate the control connection goes through"
    echo "the FTP gateway and the data connection is admitted by its expectation, passed in the kernel"
    echo "($HITS data connections admitted so). Speed relative to direct: direct time / time."
    echo
    echo "Whole: curl's time_total (the control dialog through the gateway, then the data); data: from"
    echo "the end of the dialog (time_pretransfer) to the end."
    echo
    echo "| path | passive s | x direct | passive, data s | x direct | active s | x direct | active, data s | x direct |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
    row() { # label name
        local p=$2-passive a=$2-active
        echo "| $1 | ${RESULT[$p]} | $(speed "${RESULT[direct-passive]}" "${RESULT[$p]}") | ${RESULT[$p-data]} | $(speed "${RESULT[direct-passive-data]}" "${RESULT[$p-data]}") | ${RESULT[$a]} | $(speed "${RESULT[direct-active]}" "${RESULT[$a]}") | ${RESULT[$a-data]} | $(speed "${RESULT[direct-active-data]}" "${RESULT[$a-data]}") |"
    }
    row "direct (no firewall)" direct
    row xdpgate xdpgate
} > "$OUT"
cat "$OUT"

#!/usr/bin/env bash
# `sudo make run`: the lab with the daemon attached in xg-fw, until Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."

ROOT=$PWD
RUN=/tmp/xdpgate-lab
SOCK=$RUN/api.sock
PINS=/sys/fs/bpf/xdpgate-lab
# `sudo bin/xdpgate ...` finds the lab through this (sudo drops XDPGATE_SOCKET); in /run, root's
# alone: the CLI ignores a pointer others could have planted
POINTER=/run/xdpgate/lab-socket

# Runs to the end whatever happens meanwhile: a second Ctrl-C, or the terminal or a pipe
# reading our output gone (SIGPIPE, failing echo), must not leave namespaces or servers behind.
cleanup() {
    trap '' INT TERM HUP PIPE
    trap - EXIT
    set +e
    echo
    if [ -n "${DAEMON:-}" ]; then
        kill "$DAEMON" 2>/dev/null
        for _ in $(seq 50); do kill -0 "$DAEMON" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$DAEMON" 2>/dev/null
        wait "$DAEMON" 2>/dev/null
    fi
    lab/lab.sh down
    rm -rf "$PINS" "$RUN/state"
    # only our own pointer: another lab (or a daemon's setup) may have replaced it meanwhile
    if [ "$(cat "$POINTER" 2>/dev/null)" = "$SOCK" ]; then rm -f "$POINTER"; fi
}
# the pointer written below makes root's CLI trust the socket in $RUN: refuse a $RUN that another
# user made (they could swap the socket for their own and receive the operator's policy)
if [ -e "$RUN" ] && [ "$(stat -c %u "$RUN")" != 0 ]; then
    echo "lab: $RUN belongs to user $(stat -c %U "$RUN"), not root; remove it first" >&2
    exit 1
fi
trap cleanup INT TERM HUP EXIT

mountpoint -q /sys/fs/bpf || mount -t bpf bpf /sys/fs/bpf
rm -rf "$PINS" "$RUN/state"
lab/lab.sh up
# nsenter, not `ip netns exec`: the latter remounts /sys, hiding the host's bpffs and its pins
nsenter --net=/run/netns/xg-fw "$ROOT/bin/xdpgate-daemon" \
    --xdpgate.bpf-object="$ROOT/bpf/build/xdpgate.bpf.o" \
    --xdpgate.pin-dir="$PINS" \
    --xdpgate.state-dir="$RUN/state" \
    --xdpgate.initial-policy="$ROOT/control-plane/src/main/resources/default-policy.json" \
    --xdpgate.api.socket="$SOCK" \
    --xdpgate.interfaces[0].name=ext0 --xdpgate.interfaces[0].role=external \
    --xdpgate.interfaces[1].name=int0 --xdpgate.interfaces[1].role=internal \
    > "$RUN/daemon.log" 2>&1 &
DAEMON=$!
for _ in $(seq 100); do
    [ -S "$SOCK" ] && curl -sf --unix-socket "$SOCK" http://localhost/healthz > /dev/null && break
    kill -0 "$DAEMON" 2>/dev/null || { cat "$RUN/daemon.log"; exit 1; }
    sleep 0.2
done
install -d -m 0755 -o root -g root "$(dirname "$POINTER")"
printf '%s\n' "$SOCK" > "$POINTER.$$" && chmod 0644 "$POINTER.$$" && mv -f "$POINTER.$$" "$POINTER"

# the hints as this user types them: through sudo when the lab was started with it, bare on a root shell
S=${SUDO_USER:+sudo }
cat <<EOT

xdpgate is attached in xg-fw (ext0 external, int0 internal) with control-plane/src/main/resources/default-policy.json.
Daemon log: $RUN/daemon.log

Try, in another terminal:
  ${S}ip netns exec xg-client curl -sS http://198.18.2.2/                 # through the HTTP gateway: allowed
  ${S}ip netns exec xg-client curl -sS -g 'http://[2001:db8:2::2]/'       # the same over IPv6
  ${S}ip netns exec xg-client curl -sS -X DELETE http://198.18.2.2/x      # 403 from the gateway (method)
  ${S}ip netns exec xg-client curl -sS http://198.18.2.2/admin/           # 403 from the gateway (path)
  ${S}ip netns exec xg-client curl -sS -o /dev/null -w '%{http_code} %{size_download}\n' http://198.18.2.2/100M.bin
  ${S}ip netns exec xg-client curl -sS http://198.18.2.2:8080/            # passed in the kernel, no gateway
  ${S}ip netns exec xg-client dig +short @198.18.2.2 www.lab.example      # through the DNS gateway: answered
  ${S}ip netns exec xg-client dig +tcp @2001:db8:2::2 www.lab.example AAAA # the same over TCP and IPv6
  ${S}ip netns exec xg-client dig @198.18.2.2 x.blocked.lab.example       # REFUSED by the gateway (denied name)
  ${S}ip netns exec xg-client dig @198.18.2.2 example.com                 # REFUSED (not under lab.example)
  tail -f $RUN/dns.log                                                     # what reached the DNS server
  ${S}ip netns exec xg-client curl -sk --resolve www.lab.example:443:198.18.2.2 https://www.lab.example/  # TLS gateway: allowed name
  ${S}ip netns exec xg-client curl -sk --resolve secret.lab.example:443:198.18.2.2 https://secret.lab.example/  # TLS alert (denied name)
  ${S}ip netns exec xg-client swaks --server 198.18.2.2 --to bob@lab.example --from a@lab.example --pipeline  # SMTP gateway: delivered
  ${S}ip netns exec xg-client swaks --server 2001:db8:2::2 --to bob@lab.example --tls   # STARTTLS: let through after the 220
  (sleep 1; printf 'EHLO c\\r\\n'; sleep 1; printf 'VRFY bob\\r\\n'; sleep 1) | ${S}ip netns exec xg-client curl -s telnet://198.18.2.2:25  # 502 from the gateway
  ls $RUN/postfix/mail/inbox/new; grep ': < ' $RUN/smtp.log | tail           # delivered mail; what reached Postfix
  ${S}ip netns exec xg-client curl -sS -o /dev/null -w '%{size_download}\\n' ftp://198.18.2.2/50M.bin  # FTP gateway: passive, data by expectation
  ${S}ip netns exec xg-client curl -sS -P - -g -o /dev/null 'ftp://[2001:db8:2::2]/index.html'     # active (EPRT) over IPv6
  ${S}ip netns exec xg-client curl -sS -T /etc/hostname ftp://198.18.2.2/up.txt   # 502 from the gateway (STOR not allowed)
  tail $RUN/ftp.log                                                        # what reached vsftpd
  tail -f $RUN/http-80.log                                                 # what reached the server
  ${S}ip netns exec xg-client ping -c 2 198.18.2.2                         # allowed (echo request rule)
  ${S}ip netns exec xg-client curl -sS -m 3 telnet://198.18.2.2:23        # dropped (no-telnet)
  ${S}ip netns exec xg-client curl -sS -m 3 http://198.18.2.2:8081/       # dropped (default)
  ${S}bin/xdpgate status                           # attachments, policy source, gateways up/down
  ${S}bin/xdpgate stats                            # counters; only the drops that happened, most first
  ${S}bin/xdpgate conns                            # connections: original and NAT tuples, state, bytes
  ${S}bin/xdpgate events                           # flow events (redirect: original + NAT tuple)
  ${S}bin/xdpgate gateways --counters              # the gateways: state, flows, pool, counters
  grep verdict=deny $RUN/daemon.log                  # the gateway's refusals, by connection id
  ${S}bin/xdpgate policy get                       # (-o json on any command: the API's answer)
  ${S}curl -s --unix-socket $SOCK http://localhost/metrics | grep xdpgate_packets

Ctrl-C stops the daemon and removes the lab.
EOT
wait "$DAEMON"

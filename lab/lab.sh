#!/usr/bin/env bash
# The embedded lab: three network namespaces on veth pairs, addresses from the RFC 2544
# benchmarking range and the IPv6 documentation prefix only.
#
#   xg-client  c0 ==== ext0  xg-fw  int0 ==== s0  xg-server
#   198.18.1.2/24      198.18.1.1   198.18.2.1      198.18.2.2/24  (HTTP on :80)
#   2001:db8:1::2/64   2001:db8:1::1 2001:db8:2::1  2001:db8:2::2/64
#
# usage: lab.sh up | down | status
set -euo pipefail

LAB_WWW=${LAB_WWW:-/tmp/xdpgate-lab-www}
LAB_RUN=${LAB_RUN:-/tmp/xdpgate-lab}

ns() { ip netns exec "$@"; }

up() {
    down quiet
    mkdir -p "$LAB_WWW" "$LAB_RUN"
    for n in xg-client xg-fw xg-server; do
        ip netns add "$n"
        ns "$n" ip link set lo up
    done
    ip link add c0 netns xg-client type veth peer name ext0 netns xg-fw
    ip link add s0 netns xg-server type veth peer name int0 netns xg-fw

    addr xg-client c0 198.18.1.2/24 2001:db8:1::2/64
    addr xg-fw ext0 198.18.1.1/24 2001:db8:1::1/64
    addr xg-fw int0 198.18.2.1/24 2001:db8:2::1/64
    addr xg-server s0 198.18.2.2/24 2001:db8:2::2/64
    # GRO on every end, once both ends are up: a veth takes frames XDP redirects into it (the
    # fast path at the XDP hook) only when its peer has NAPI, and it learns so only from a
    # change of the peer's GRO while both are up.
    for end in xg-client:c0 xg-fw:ext0 xg-fw:int0 xg-server:s0; do
        ns "${end%%:*}" ethtool -K "${end#*:}" gro on > /dev/null
    done
    ns xg-client ip route add default via 198.18.1.1
    ns xg-client ip -6 route add default via 2001:db8:1::1
    ns xg-server ip route add default via 198.18.2.1
    ns xg-server ip -6 route add default via 2001:db8:2::1
    ns xg-fw sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1

    # test files: a page and a larger file whose digest the client can check
    echo "hello from xg-server" > "$LAB_WWW/index.html"
    [ -f "$LAB_WWW/10M.bin" ] || head -c 10485760 /dev/urandom > "$LAB_WWW/10M.bin"
    [ -f "$LAB_WWW/100M.bin" ] || head -c 104857600 /dev/urandom > "$LAB_WWW/100M.bin"
    [ -f "$LAB_WWW/200M.bin" ] || head -c 209715200 /dev/urandom > "$LAB_WWW/200M.bin"
    [ -f "$LAB_WWW/50M.bin" ] || head -c 52428800 /dev/urandom > "$LAB_WWW/50M.bin"
    # The same files on 80 (the lab policy sends it through the HTTP gateway) and on 8080
    # (passed in the kernel). Each server's log lists every request that reached it.
    for port in 80 8080; do
        ns xg-server setsid python3 -m http.server "$port" --bind :: --directory "$LAB_WWW" \
            > "$LAB_RUN/http-$port.log" 2>&1 < /dev/null &
        echo $! > "$LAB_RUN/http-$port.pid"
    done
    # DNS on 53 (UDP and TCP; the lab policy sends both through the DNS gateway): names under
    # lab.example, every query logged
    ns xg-server setsid dnsmasq --keep-in-foreground --user=root --no-resolv --no-hosts --no-poll \
        --bind-interfaces --listen-address=198.18.2.2 --listen-address=2001:db8:2::2 --port=53 \
        --host-record=www.lab.example,198.18.2.80,2001:db8:2::80 \
        --host-record=x.blocked.lab.example,198.18.2.81 \
        --txt-record=lab.example,"hello from xg-server" --mx-host=lab.example,mail.lab.example,10 \
        --host-record=version.lab.example,198.18.2.82 \
        --log-queries=extra --log-facility="$LAB_RUN/dns.log" > /dev/null 2>&1 < /dev/null &
    echo $! > "$LAB_RUN/dns.pid"
    # TLS on 443 (the lab policy sends it through the TLS gateway, which judges the server name):
    # nginx with a self-signed certificate for lab.example's names, every request logged
    [ -f "$LAB_WWW/lab.crt" ] || openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj /CN=www.lab.example \
        -addext "subjectAltName=DNS:www.lab.example,DNS:*.lab.example" \
        -keyout "$LAB_WWW/lab.key" -out "$LAB_WWW/lab.crt" 2> /dev/null
    cat > "$LAB_RUN/tls.conf" <<NGX
user root;
worker_processes 1;
pid $LAB_RUN/tls.pid;
error_log $LAB_RUN/tls-error.log;
events { worker_connections 1024; }
http {
    access_log $LAB_RUN/tls-443.log;
    server {
        listen 443 ssl; listen [::]:443 ssl;
        ssl_certificate $LAB_WWW/lab.crt; ssl_certificate_key $LAB_WWW/lab.key;
        root $LAB_WWW;
    }
}
NGX
    ns xg-server nginx -c "$LAB_RUN/tls.conf"
    smtp_up
    ftp_up
    for port in 80 8080 53 443 25 21; do
        for _ in $(seq 50); do
            ns xg-server bash -c "exec 3<>/dev/tcp/198.18.2.2/$port" 2>/dev/null && break
            sleep 0.1
        done
    done
    echo "lab up: xg-client (198.18.1.2) -> xg-fw (ext0 | int0) -> xg-server (198.18.2.2: http 80 and 8080, dns 53, https 443, smtp 25, ftp 21)"
}

# SMTP on 25 (the lab policy sends it through the SMTP gateway): a private Postfix, its config,
# queue and mail under $LAB_RUN/postfix; every message for @lab.example lands in one Maildir
# ($LAB_RUN/postfix/mail/inbox/new), other domains are relay-denied and nothing leaves the lab.
# debug_peer_list logs each command received ("< unknown[198.18.1.2]: MAIL FROM:<...>") to
# $LAB_RUN/smtp.log, so what the gateway refused can be looked for there. Postfix's limits stay
# at their defaults, the SMTP gateway's reference.
smtp_up() {
    local pf="$LAB_RUN/postfix"
    chmod o+x "$LAB_RUN" # Postfix's unprivileged daemons reach their directories through it (no listing)
    mkdir -p "$pf/etc" "$pf/spool" "$pf/mail"
    cp /etc/postfix/master.cf "$pf/etc/master.cf"
    postconf -c "$pf/etc" -F '*/*/chroot = n' 2> /dev/null || true
    cat > "$pf/etc/main.cf" <<PF
compatibility_level = 3.6
queue_directory = $pf/spool
data_directory = $pf/data
mail_spool_directory = $pf/mail/spool
maillog_file_prefixes = $LAB_RUN
maillog_file = $LAB_RUN/smtp.log
inet_interfaces = 198.18.2.2, [2001:db8:2::2]
inet_protocols = all
myhostname = mail.lab.example
mydomain = lab.example
myorigin = \$myhostname
mydestination =
local_recipient_maps =
alias_maps =
alias_database =
mynetworks = 198.18.0.0/15, [2001:db8::]/32
smtpd_relay_restrictions = reject_unauth_destination
smtpd_recipient_restrictions = permit_mynetworks, reject
smtpd_peername_lookup = no
virtual_mailbox_domains = lab.example
virtual_mailbox_base = $pf/mail
virtual_mailbox_maps = static:inbox/
virtual_uid_maps = static:65534
virtual_gid_maps = static:65534
default_transport = error:5.7.1 no mail leaves the lab
relay_transport = \$default_transport
smtpd_tls_security_level = may
smtpd_tls_cert_file = $LAB_WWW/lab.crt
smtpd_tls_key_file = $LAB_WWW/lab.key
debug_peer_list = ${SMTP_DEBUG_PEERS-198.18.0.0/15, [2001:db8::]/32}
PF
    install -d -o 65534 -g 65534 -m 700 "$pf/mail/inbox"
    rm -f "$pf/spool/pid/master.pid" # Postfix leaves it; a reused pid would look like a running master
    if ! ns xg-server postfix -c "$pf/etc" start 2> /dev/null; then
        echo "postfix did not start:" >&2
        tail -5 "$LAB_RUN/smtp.log" >&2
        return 1
    fi
    tr -d ' ' < "$pf/spool/pid/master.pid" > "$LAB_RUN/smtp.pid"
}

# FTP on 21 (the lab policy sends it through the FTP gateway, and allows no other port for it:
# the data connections are passed by the expectations the gateway asks for): vsftpd, anonymous
# and read-only over $LAB_WWW, IPv4 and IPv6 in one process (IPv4 clients logged as
# ::ffff:198.18.1.2), passive ports 30000-30100, active data connections from port 20; every
# command and reply logged to $LAB_RUN/ftp.log.
ftp_up() {
    mkdir -p /var/run/vsftpd/empty
    chmod 755 "$LAB_WWW"
    chmod 644 "$LAB_WWW"/*.bin "$LAB_WWW"/index.html
    : > "$LAB_RUN/ftp.log"
    cat > "$LAB_RUN/vsftpd.conf" <<FTP
background=NO
listen=NO
listen_ipv6=YES
anonymous_enable=YES
no_anon_password=YES
anon_root=$LAB_WWW
anon_world_readable_only=YES
local_enable=NO
write_enable=NO
pasv_enable=YES
pasv_min_port=30000
pasv_max_port=30100
port_enable=YES
connect_from_port_20=YES
secure_chroot_dir=/var/run/vsftpd/empty
pam_service_name=vsftpd
xferlog_enable=YES
xferlog_std_format=NO
log_ftp_protocol=YES
dual_log_enable=NO
syslog_enable=NO
vsftpd_log_file=$LAB_RUN/ftp.log
FTP
    ( cd / && exec setsid ip netns exec xg-server /usr/sbin/vsftpd "$LAB_RUN/vsftpd.conf" \
        < /dev/null >> "$LAB_RUN/ftp.out" 2>&1 ) &
    echo $! > "$LAB_RUN/ftp.pid"
}

# addr NS DEV V4 V6: addresses, checksum offload off (frames cross XDP), link up
addr() {
    ns "$1" ip addr add "$3" dev "$2"
    ns "$1" ip -6 addr add "$4" dev "$2" nodad
    ns "$1" ethtool -K "$2" tx off > /dev/null
    ns "$1" ip link set "$2" up
}

down() {
    for pid in "$LAB_RUN"/*.pid; do
        [ -f "$pid" ] || continue
        kill "$(cat "$pid")" 2>/dev/null || true
        rm -f "$pid"
    done
    for n in xg-client xg-fw xg-server; do
        if ip netns list | grep -qw "$n"; then
            ip netns pids "$n" | xargs -r kill 2>/dev/null || true
            ip netns del "$n"
        fi
    done
    [ "${1:-}" = quiet ] || echo "lab down"
}

status() {
    for n in xg-client xg-fw xg-server; do
        if ip netns list | grep -qw "$n"; then echo "$n: up"; else echo "$n: absent"; fi
    done
}

case "${1:-}" in
    up) up ;;
    down) down ;;
    status) status ;;
    *) echo "usage: $0 up|down|status" >&2; exit 2 ;;
esac

#!/usr/bin/env bash
# The one install step: `make deps`, which `sudo make run`, `sudo make test`, the bench targets
# and .ci/run call. Installs the Debian 12 packages of the named groups that are missing;
# prints nothing when all are present (so it needs root only when it has work to do).
#
# usage: tools/deps.sh GROUP...   (groups: build run test image bench; default: build run test)
set -euo pipefail

# What each group is for; the README's "Requirements" names the same packages.
declare -A GROUPS_=(
    # make bpf, the static kernel-check runner (libbpf.a needs libelf.a and libz.a), the Java build
    # (Maven fetches from Maven Central over HTTPS, hence ca-certificates)
    [build]="make clang llvm gcc libc6-dev libbpf-dev libelf-dev zlib1g-dev linux-libc-dev
             openjdk-17-jdk-headless maven ca-certificates"
    # the daemon and the lab: attach and inspect (bpftool), namespaces and veths (iproute2,
    # util-linux's nsenter, procps's sysctl), checksum offload off (ethtool), the lab's HTTP
    # servers (python3) and clients (curl, ping), its DNS server (dnsmasq-base: the binary without
    # the system service) and client (dig), its TLS server (nginx-light, a certificate from openssl),
    # its SMTP server (postfix, installed unconfigured: the lab runs its own instance) and client
    # (swaks, with the Perl modules its IPv6 and STARTTLS need), its FTP server (vsftpd; curl is the
    # client)
    [run]="bpftool iproute2 ethtool util-linux procps python3 curl iputils-ping dnsmasq-base bind9-dnsutils
           nginx-light openssl postfix swaks libio-socket-inet6-perl libnet-ssleay-perl vsftpd"
    # the test suites and checks: crafted packets on the wire (scapy; iptables keeps the sending
    # host's own stack from resetting a crafted session), a Debian 6.1 kernel booted
    # under qemu with a busybox initramfs (make check-kernels), a clean Debian root
    # (make check-fresh)
    [test]="python3-scapy iptables qemu-system-x86 busybox-static cpio gzip debootstrap"
    # make image and its test: docker builds the image (docker.io: Debian 12's docker, 20.10), on a
    # base made with debootstrap; the test runs it through containerd's ctr (containerd), since
    # docker 20.10 cannot grant CAP_BPF or CAP_PERFMON
    [image]="docker.io containerd debootstrap"
    # make bench-lab / bench-gateway / bench-dns: load generators and the baselines they compare against
    [bench]="wrk iperf3 nginx-light squid iptables nftables bc dnsperf dnsdist"
)

groups=("$@")
[ ${#groups[@]} -gt 0 ] || groups=(build run test)
wanted=()
for g in "${groups[@]}"; do
    [ -n "${GROUPS_[$g]:-}" ] || { echo "deps.sh: unknown group '$g' (build run test image bench)" >&2; exit 2; }
    read -r -a pkgs <<< "$(echo ${GROUPS_[$g]})"
    wanted+=("${pkgs[@]}")
done

missing=()
for p in "${wanted[@]}"; do
    [ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" = "install ok installed" ] || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" != 0 ]; then
    echo "deps.sh: missing Debian packages: ${missing[*]}; run as root (sudo make ...) to install them" >&2
    exit 1
fi
echo "deps.sh: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# Postfix unconfigured: no system mail service, no /etc/postfix/main.cf (the lab brings its own)
echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" > /tmp/xdpgate-deps.log 2>&1 || {
    tail -30 /tmp/xdpgate-deps.log >&2
    echo "deps.sh: apt-get install failed; full log in /tmp/xdpgate-deps.log" >&2
    exit 1
}

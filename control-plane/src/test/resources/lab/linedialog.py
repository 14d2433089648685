#!/usr/bin/env python3
"""A scripted client of a line protocol (SMTP, FTP) for the lab tests, for what swaks and curl
will not send.

usage: linedialog.py HOST PORT PART...

Connects to HOST:PORT, reads the greeting, then sends each PART (Python escapes such as \\r\\n
are decoded) and reads the replies it brings. A PART starting with "~" is sent without waiting
for a reply (text in the middle of a message); one starting with "1:" is sent a byte per TCP
segment. Prints everything received; "RESET" or "CLOSED" when the connection ended.
"""
import socket
import sys
import time


def replies(sock, wait):
    """Reads until a complete last reply line arrives or nothing comes for `wait` seconds."""
    data = b""
    sock.settimeout(wait)
    while True:
        try:
            chunk = sock.recv(65536)
        except socket.timeout:
            return data, True
        except ConnectionResetError:
            return data + b"RESET\n", False
        if not chunk:
            return data + b"CLOSED\n", False
        data += chunk
        lines = data.split(b"\r\n")
        if data.endswith(b"\r\n") and len(lines) >= 2 and len(lines[-2]) >= 4 and lines[-2][3:4] == b" ":
            return data, True


def main():
    host, port = sys.argv[1], int(sys.argv[2])
    sock = socket.create_connection((host, port), timeout=5)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    out, alive = replies(sock, 5)
    for part in sys.argv[3:]:
        if not alive:
            break
        wait = not part.startswith("~")
        slow = part.startswith("1:")
        text = part[1:] if part.startswith("~") else part[2:] if slow else part
        data = text.encode("latin-1").decode("unicode_escape").encode("latin-1")
        try:
            if slow:
                for i in range(len(data)):
                    sock.send(data[i:i + 1])
                    time.sleep(0.01)
            else:
                sock.sendall(data)
        except (BrokenPipeError, ConnectionResetError):
            out += b"RESET\n"
            break
        if wait:
            got, alive = replies(sock, 3)
            out += got
    if alive:
        got, _ = replies(sock, 0.5)
        out += got
    sys.stdout.write(out.decode("latin-1"))


if __name__ == "__main__":
    main()

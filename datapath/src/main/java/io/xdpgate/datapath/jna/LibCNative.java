package io.xdpgate.datapath.jna;

import com.sun.jna.Library;
import com.sun.jna.Pointer;

/** The libc functions the binding needs (glibc on 64-bit Linux). Failures return -1 or 0 and set errno. */
public interface LibCNative extends Library {
    String NAME = "c";

    /** linux/mount.h: detach lazily, for umount2 */
    int MNT_DETACH = 2;

    int vsnprintf(Pointer buffer, long size, Pointer format, Pointer vaList);

    int mount(String source, String target, String fsType, long flags, Pointer data);

    int umount2(String target, int flags);

    int statfs(String path, Statfs buf);

    int if_nametoindex(String name);

    int geteuid();

    int close(int fd);

    /** sys/socket.h, linux/netlink.h: what the rtnetlink link watch needs */
    int AF_NETLINK = 16;
    int SOCK_RAW = 3;
    int SOCK_CLOEXEC = 0x80000;
    int NETLINK_ROUTE = 0;
    int SOL_SOCKET = 1;
    int SO_RCVBUF = 8;
    int SO_RCVTIMEO = 20;
    int MSG_TRUNC = 0x20;

    int socket(int domain, int type, int protocol);

    int bind(int fd, byte[] address, int addressLength);

    int setsockopt(int fd, int level, int option, byte[] value, int valueLength);

    long send(int fd, byte[] buffer, long length, int flags);

    long recv(int fd, byte[] buffer, long length, int flags);

    /** glibc: gives free heap memory back to the system; 1 if some was released. */
    int malloc_trim(long pad);
}

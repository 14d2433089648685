package io.xdpgate.gateways.afxdp;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * The libc calls an AF_XDP socket needs, JNA direct-mapped (the hot ones, sendto and poll,
 * run per batch). Constants are from linux/if_xdp.h, linux/socket.h and sys/mman.h. No logic.
 */
final class XskSyscalls {
    static final int AF_XDP = 44;
    static final int SOCK_RAW = 3;
    static final int SOL_XDP = 283;

    static final int XDP_MMAP_OFFSETS = 1;
    static final int XDP_RX_RING = 2;
    static final int XDP_TX_RING = 3;
    static final int XDP_UMEM_REG = 4;
    static final int XDP_UMEM_FILL_RING = 5;
    static final int XDP_UMEM_COMPLETION_RING = 6;
    static final int XDP_STATISTICS = 7;

    static final int XDP_COPY = 1 << 1;
    static final int XDP_ZEROCOPY = 1 << 2;
    static final int XDP_USE_NEED_WAKEUP = 1 << 3;
    static final int XDP_RING_NEED_WAKEUP = 1;

    static final long XDP_PGOFF_RX_RING = 0;
    static final long XDP_PGOFF_TX_RING = 0x80000000L;
    static final long XDP_UMEM_PGOFF_FILL_RING = 0x100000000L;
    static final long XDP_UMEM_PGOFF_COMPLETION_RING = 0x180000000L;

    static final int PROT_READ = 1;
    static final int PROT_WRITE = 2;
    static final int MAP_SHARED = 0x01;
    static final int MAP_PRIVATE = 0x02;
    static final int MAP_ANONYMOUS = 0x20;
    static final int MAP_POPULATE = 0x8000;
    static final Pointer MAP_FAILED = new Pointer(-1);

    static final int MSG_DONTWAIT = 0x40;
    static final short POLLIN = 0x1;

    static {
        Native.register(XskSyscalls.class, "c");
    }

    private XskSyscalls() {
    }

    static native int socket(int domain, int type, int protocol) throws LastErrorException;

    static native int setsockopt(int fd, int level, int name, Pointer value, int length) throws LastErrorException;

    static native int getsockopt(int fd, int level, int name, Pointer value, Pointer length) throws LastErrorException;

    static native int bind(int fd, Pointer address, int length) throws LastErrorException;

    static native Pointer mmap(Pointer addr, long length, int prot, int flags, int fd, long offset)
            throws LastErrorException;

    static native int munmap(Pointer addr, long length) throws LastErrorException;

    static native long sendto(int fd, Pointer buf, long length, int flags, Pointer to, int toLength)
            throws LastErrorException;

    static native long recvfrom(int fd, Pointer buf, long length, int flags, Pointer from, Pointer fromLength)
            throws LastErrorException;

    static native int poll(Pointer fds, long count, int timeoutMs) throws LastErrorException;

    static native int close(int fd) throws LastErrorException;
}

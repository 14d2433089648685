package io.xdpgate.gateways.afxdp;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import io.xdpgate.abi.Errno;
import java.util.ArrayList;
import java.util.List;

/**
 * An AF_XDP socket bound to one queue of one interface, with its own {@link Umem} and four
 * rings. Not thread-safe: one thread per socket drives it (receive, transmit, recycle).
 *
 * <p>Life of a chunk: free stack -> fill ring -> kernel writes a frame -> RX ring -> the
 * caller either transmits it (TX ring -> completion ring -> free) or frees it. Chunks the
 * caller allocates for frames it makes follow the TX half of that path.
 */
public final class XskSocket implements AutoCloseable {
    /** sizeof(struct xdp_desc) */
    private static final int DESC_SIZE = 16;
    private static final int ADDR_SIZE = 8;
    /** sizeof(struct xdp_umem_reg) with tx_metadata_len (6.8+); the kernel accepts it whole */
    private static final int UMEM_REG_SIZE = 32;

    /** Ring sizes and UMEM geometry; every ring size a power of two. */
    public record Config(int chunks, int chunkSize, int rxSize, int txSize, int fillSize, int completionSize,
                         boolean zeroCopy) {
        /**
         * 8192 chunks of 2 KiB: 16 MiB per socket, pinned by the kernel as long as it is open. A
         * chunk holds the kernel's 256 bytes of headroom, the 32-byte xg_meta and a full
         * 1500-byte-MTU frame (with two VLAN tags) with room to spare.
         */
        public static final Config DEFAULT = new Config(8192, 2048, 2048, 2048, 4096, 4096, false);

        public Config {
            for (int s : new int[] {rxSize, txSize, fillSize, completionSize}) {
                if (Integer.bitCount(s) != 1) {
                    throw new IllegalArgumentException("ring size must be a power of two, got " + s);
                }
            }
            if (fillSize + txSize > chunks) {
                throw new IllegalArgumentException("the fill and TX rings need more chunks than the UMEM has: "
                        + (fillSize + txSize) + " > " + chunks);
            }
        }
    }

    /** Receives a batch: each frame's UMEM address and length. */
    public interface FrameHandler {
        void frame(long addr, int len);
    }

    private final int fd;
    private final Umem umem;
    private final List<Mapping> mappings = new ArrayList<>();
    private final Ring rx;
    private final Ring tx;
    private final Ring fill;
    private final Ring completion;
    private final Memory pollFd = new Memory(8);
    private final String name;
    private int txPending;
    private int txInFlight;
    private boolean closed;

    private record Mapping(Pointer addr, long length) {
    }

    private XskSocket(int fd, Umem umem, Config cfg, String ifname, int ifindex, int queue) {
        this.fd = fd;
        this.umem = umem;
        this.name = ifname + " queue " + queue;
        registerUmem(cfg);
        sockopt(XskSyscalls.XDP_UMEM_FILL_RING, cfg.fillSize(), "fill ring");
        sockopt(XskSyscalls.XDP_UMEM_COMPLETION_RING, cfg.completionSize(), "completion ring");
        sockopt(XskSyscalls.XDP_RX_RING, cfg.rxSize(), "RX ring");
        sockopt(XskSyscalls.XDP_TX_RING, cfg.txSize(), "TX ring");

        // struct xdp_mmap_offsets: rx, tx, fr, cr, each { producer, consumer, desc, flags } as u64
        Memory off = new Memory(128);
        Memory offLen = new Memory(4);
        offLen.setInt(0, 128);
        try {
            XskSyscalls.getsockopt(fd, XskSyscalls.SOL_XDP, XskSyscalls.XDP_MMAP_OFFSETS, off, offLen);
        } catch (LastErrorException e) {
            throw XskException.of("getsockopt XDP_MMAP_OFFSETS", e);
        }
        rx = ring(off, 0, cfg.rxSize(), DESC_SIZE, XskSyscalls.XDP_PGOFF_RX_RING, false, "RX");
        tx = ring(off, 32, cfg.txSize(), DESC_SIZE, XskSyscalls.XDP_PGOFF_TX_RING, true, "TX");
        fill = ring(off, 64, cfg.fillSize(), ADDR_SIZE, XskSyscalls.XDP_UMEM_PGOFF_FILL_RING, true, "fill");
        completion = ring(off, 96, cfg.completionSize(), ADDR_SIZE, XskSyscalls.XDP_UMEM_PGOFF_COMPLETION_RING,
                false, "completion");

        refill();
        // struct sockaddr_xdp { u16 family; u16 flags; u32 ifindex; u32 queue_id; u32 shared_umem_fd; }
        Memory sa = new Memory(16);
        sa.clear();
        sa.setShort(0, (short) XskSyscalls.AF_XDP);
        sa.setShort(2, (short) (XskSyscalls.XDP_USE_NEED_WAKEUP
                | (cfg.zeroCopy() ? XskSyscalls.XDP_ZEROCOPY : XskSyscalls.XDP_COPY)));
        sa.setInt(4, ifindex);
        sa.setInt(8, queue);
        bind(sa, cfg);
        pollFd.setInt(0, fd);
    }

    /**
     * Binds, waiting out EBUSY for up to a second: the kernel frees the buffer pool of a socket
     * that was just closed on the same queue in deferred work, so a quick reopen can find the
     * queue still taken.
     */
    private void bind(Memory sa, Config cfg) {
        long deadline = System.nanoTime() + 1_000_000_000L;
        while (true) {
            try {
                XskSyscalls.bind(fd, sa, 16);
                return;
            } catch (LastErrorException e) {
                if (e.getErrorCode() != Errno.EBUSY || System.nanoTime() > deadline) {
                    throw XskException.of("bind AF_XDP socket to " + name
                            + (cfg.zeroCopy() ? " (zero-copy)" : " (copy mode)"), e);
                }
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new XskException("bind AF_XDP socket to " + name + " (interrupted)", Errno.EINTR);
            }
        }
    }

    /**
     * Opens a socket on {@code ifname} queue {@code queue}. Frames reach it only once an XDP
     * program redirects them into an XSKMAP entry holding {@link #fd()}.
     */
    public static XskSocket open(String ifname, int ifindex, int queue, Config cfg) {
        int fd;
        try {
            fd = XskSyscalls.socket(XskSyscalls.AF_XDP, XskSyscalls.SOCK_RAW, 0);
        } catch (LastErrorException e) {
            throw XskException.of("socket(AF_XDP)", e);
        }
        Umem umem = null;
        try {
            umem = new Umem(cfg.chunks(), cfg.chunkSize());
            return new XskSocket(fd, umem, cfg, ifname, ifindex, queue);
        } catch (RuntimeException e) {
            if (umem != null) {
                umem.close();
            }
            XskSyscalls.close(fd);
            throw e;
        }
    }

    private void registerUmem(Config cfg) {
        Memory reg = new Memory(UMEM_REG_SIZE);
        reg.clear();
        reg.setLong(0, Pointer.nativeValue(umem.base()));
        reg.setLong(8, umem.length());
        reg.setInt(16, cfg.chunkSize());
        reg.setInt(20, 0); // headroom: the kernel still leaves XDP_PACKET_HEADROOM, where the metadata goes
        try {
            XskSyscalls.setsockopt(fd, XskSyscalls.SOL_XDP, XskSyscalls.XDP_UMEM_REG, reg, UMEM_REG_SIZE);
        } catch (LastErrorException e) {
            throw XskException.of("register UMEM", e);
        }
    }

    private void sockopt(int option, int value, String what) {
        Memory v = new Memory(4);
        v.setInt(0, value);
        try {
            XskSyscalls.setsockopt(fd, XskSyscalls.SOL_XDP, option, v, 4);
        } catch (LastErrorException e) {
            throw XskException.of("set " + what + " size " + value, e);
        }
    }

    private Ring ring(Memory off, int at, int size, int entrySize, long pgoff, boolean producer, String what) {
        long producerOff = off.getLong(at);
        long consumerOff = off.getLong(at + 8);
        long descOff = off.getLong(at + 16);
        long flagsOff = off.getLong(at + 24);
        long length = descOff + (long) size * entrySize;
        Pointer p;
        try {
            p = XskSyscalls.mmap(null, length, XskSyscalls.PROT_READ | XskSyscalls.PROT_WRITE,
                    XskSyscalls.MAP_SHARED | XskSyscalls.MAP_POPULATE, fd, pgoff);
        } catch (LastErrorException e) {
            throw XskException.of("mmap " + what + " ring", e);
        }
        mappings.add(new Mapping(p, length));
        return new Ring(p.getByteBuffer(0, length), producerOff, consumerOff, descOff, flagsOff, size, entrySize,
                producer);
    }

    public int fd() {
        return fd;
    }

    public Umem umem() {
        return umem;
    }

    /**
     * Hands received frames to {@code handler} (at most {@code max}); returns how many. The
     * handler owns each chunk from then on: it must {@link #transmit} or {@link Umem#free} it.
     */
    public int receive(int max, FrameHandler handler) {
        int n = rx.peek(max);
        if (n == 0) {
            return 0;
        }
        int at = rx.consumerIndex();
        for (int i = 0; i < n; i++) {
            handler.frame(rx.addr(at + i), rx.len(at + i));
        }
        rx.release(n);
        return n;
    }

    /**
     * Queues a frame for transmission; false when the TX ring is full (the caller still owns
     * the chunk). Frames leave on {@link #flush}.
     */
    public boolean transmit(long addr, int len) {
        if (tx.reserve(txPending + 1) < txPending + 1) {
            recycle();
            if (tx.reserve(txPending + 1) < txPending + 1) {
                return false;
            }
        }
        tx.desc(tx.producerIndex() + txPending, addr, len);
        txPending++;
        return true;
    }

    /** Publishes queued frames, kicks the kernel, recycles completed chunks and refills RX. */
    public void flush() {
        if (txPending > 0) {
            tx.submit(txPending);
            txInFlight += txPending;
            txPending = 0;
        }
        // Copy mode always needs the kick; with need_wakeup the flag says when.
        if (txInFlight > 0 && tx.needsWakeup()) {
            try {
                XskSyscalls.sendto(fd, null, 0, XskSyscalls.MSG_DONTWAIT, null, 0);
            } catch (LastErrorException e) {
                int errno = e.getErrorCode();
                // EAGAIN/EBUSY/ENOBUFS: the kernel is still sending the last batch; ENETDOWN: the
                // link went down, the frames complete or die with it
                if (errno != Errno.EAGAIN && errno != Errno.EBUSY && errno != Errno.ENOBUFS && errno != Errno.ENETDOWN) {
                    throw XskException.of("sendto (TX wakeup) on " + name, e);
                }
            }
        }
        recycle();
        refill();
    }

    /** Moves completed TX chunks back to the free stack. */
    private void recycle() {
        int n = completion.peek(completion.size());
        if (n > 0) {
            int at = completion.consumerIndex();
            for (int i = 0; i < n; i++) {
                umem.free(completion.addr(at + i));
            }
            completion.release(n);
            txInFlight -= n;
        }
    }

    /** Keeps the fill ring stocked, but leaves chunks free for frames we make and hold. */
    private void refill() {
        int spare = umem.freeChunks() - umem.chunks() / 4;
        if (spare <= 0) {
            return;
        }
        int n = fill.reserve(spare);
        if (n == 0) {
            return;
        }
        int at = fill.producerIndex();
        for (int i = 0; i < n; i++) {
            fill.addr(at + i, umem.allocate());
        }
        fill.submit(n);
    }

    /**
     * Waits up to {@code timeoutMs} for frames; true when some may be ready. Also the wakeup
     * the kernel asks for when the fill ring ran dry.
     */
    public boolean await(int timeoutMs) {
        pollFd.setShort(4, XskSyscalls.POLLIN);
        pollFd.setShort(6, (short) 0);
        try {
            return XskSyscalls.poll(pollFd, 1, timeoutMs) > 0;
        } catch (LastErrorException e) {
            if (e.getErrorCode() == Errno.EINTR) {
                return false;
            }
            throw XskException.of("poll on " + name, e);
        }
    }

    /** Frames queued or in flight in the TX path (not yet completed). */
    public int txOutstanding() {
        return txPending + txInFlight;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Mapping m : mappings) {
            XskSyscalls.munmap(m.addr(), m.length());
        }
        // closing the fd also removes it from every XSKMAP (the packet processor notices)
        XskSyscalls.close(fd);
        umem.close();
    }
}

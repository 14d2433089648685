package io.xdpgate.datapath.bpf;

import com.sun.jna.Native;
import io.xdpgate.abi.Errno;
import io.xdpgate.datapath.jna.LibCNative;
import io.xdpgate.datapath.netlink.Link;
import io.xdpgate.datapath.netlink.LinkEvents;
import io.xdpgate.datapath.netlink.LinkMessage;
import io.xdpgate.datapath.netlink.LinkMessages;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An rtnetlink socket of this process's network namespace (the JDK has none): subscribed to the
 * link group (RTMGRP_LINK: RTM_NEWLINK / RTM_DELLINK for every device that appears, changes or
 * goes), or used once to list the links (an RTM_GETLINK dump). Parsing is {@link LinkMessages}'.
 * One thread uses a socket at a time.
 */
public final class NetlinkRoute implements LinkEvents {
    private static final int RTMGRP_LINK = 1;
    private static final int NLM_F_REQUEST = 1;
    private static final int NLM_F_DUMP = 0x300;
    private static final int BUFFER = 64 * 1024; // a dump part is at most 32 KiB (NLMSG_GOODSIZE)
    private static final int DUMP_ATTEMPTS = 5;

    private final int fd;
    private final byte[] buffer = new byte[BUFFER];
    private boolean closed;

    /** Room for a burst of pod churn; the kernel caps it at net.core.rmem_max, ENOBUFS past it. */
    public static final int EVENT_BUFFER = 1 << 20;

    private NetlinkRoute(int groups, Duration receiveTimeout, int receiveBuffer) {
        LibCNative c = NativeLibraries.c();
        int s = c.socket(LibCNative.AF_NETLINK, LibCNative.SOCK_RAW | LibCNative.SOCK_CLOEXEC, LibCNative.NETLINK_ROUTE);
        if (s < 0) {
            throw Checked.errno("open an rtnetlink socket", Native.getLastError());
        }
        fd = s;
        try {
            ByteBuffer addr = ByteBuffer.allocate(12).order(ByteOrder.nativeOrder()); // sockaddr_nl
            addr.putShort(0, (short) LibCNative.AF_NETLINK).putInt(8, groups);
            if (c.bind(fd, addr.array(), 12) < 0) {
                throw Checked.errno("bind the rtnetlink socket to groups " + groups, Native.getLastError());
            }
            ByteBuffer tv = ByteBuffer.allocate(16).order(ByteOrder.nativeOrder()); // struct timeval
            tv.putLong(0, receiveTimeout.toSeconds()).putLong(8, receiveTimeout.toMillisPart() * 1000L);
            if (c.setsockopt(fd, LibCNative.SOL_SOCKET, LibCNative.SO_RCVTIMEO, tv.array(), 16) < 0) {
                throw Checked.errno("set the rtnetlink receive timeout", Native.getLastError());
            }
            if (receiveBuffer > 0) {
                byte[] size = ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(0, receiveBuffer).array();
                if (c.setsockopt(fd, LibCNative.SOL_SOCKET, LibCNative.SO_RCVBUF, size, 4) < 0) {
                    throw Checked.errno("set the rtnetlink receive buffer", Native.getLastError());
                }
            }
        } catch (RuntimeException e) {
            c.close(fd);
            throw e;
        }
    }

    /** A socket that receives every link event of this namespace from now on. */
    public static NetlinkRoute subscribeLinks(Duration receiveTimeout) {
        return subscribeLinks(receiveTimeout, EVENT_BUFFER);
    }

    /** With a receive buffer of {@code receiveBuffer} bytes (the kernel doubles it and has a minimum). */
    public static NetlinkRoute subscribeLinks(Duration receiveTimeout, int receiveBuffer) {
        return new NetlinkRoute(RTMGRP_LINK, receiveTimeout, receiveBuffer);
    }

    /** Every link of this network namespace now, by ifindex order of the kernel's dump. */
    public static List<Link> listLinks() {
        try (NetlinkRoute dump = new NetlinkRoute(0, Duration.ofSeconds(2), 0)) {
            for (int attempt = 1; ; attempt++) {
                Map<Integer, Link> links = new LinkedHashMap<>();
                if (dump.dumpInto(attempt, links)) {
                    return new ArrayList<>(links.values());
                }
                if (attempt == DUMP_ATTEMPTS) {
                    throw new IllegalStateException("the link list kept changing during " + DUMP_ATTEMPTS + " dumps");
                }
            }
        }
    }

    /** False when the kernel flagged the dump as interrupted (the list changed meanwhile). */
    private boolean dumpInto(int seq, Map<Integer, Link> links) {
        ByteBuffer req = ByteBuffer.allocate(32).order(ByteOrder.nativeOrder()); // nlmsghdr + ifinfomsg
        req.putInt(0, 32).putShort(4, (short) LinkMessages.RTM_GETLINK)
                .putShort(6, (short) (NLM_F_REQUEST | NLM_F_DUMP)).putInt(8, seq);
        if (NativeLibraries.c().send(fd, req.array(), 32, 0) != 32) {
            throw Checked.errno("send the link dump request", Native.getLastError());
        }
        boolean consistent = true;
        while (true) {
            Received r = receive();
            if (r.status() != Received.Status.MESSAGES) {
                throw Checked.errno("read the link dump", r.status() == Received.Status.TIMEOUT ? Errno.EAGAIN
                        : Errno.ENOBUFS);
            }
            for (LinkMessage m : r.messages()) {
                consistent &= !m.interrupted();
                switch (m.type()) {
                    case NEW -> links.put(m.link().ifindex(), m.link());
                    case DEL -> links.remove(m.link().ifindex());
                    case ERROR -> throw Checked.errno("dump the links", m.errno());
                    case DONE -> {
                        return consistent;
                    }
                }
            }
        }
    }

    /**
     * The next datagram's link messages, or a timeout, or an overflow. A datagram larger than the
     * buffer (it cannot be: the kernel's parts are smaller) or one that does not parse throws
     * {@link io.xdpgate.datapath.netlink.MalformedNetlinkMessage}.
     */
    @Override
    public Received receive() {
        long n = NativeLibraries.c().recv(fd, buffer, buffer.length, LibCNative.MSG_TRUNC);
        if (n < 0) {
            int errno = Native.getLastError();
            return switch (errno) {
                case Errno.EAGAIN, Errno.EINTR -> new Received(Received.Status.TIMEOUT, List.of());
                case Errno.ENOBUFS -> new Received(Received.Status.OVERFLOW, List.of());
                default -> throw Checked.errno("receive from rtnetlink", errno);
            };
        }
        if (n > buffer.length) {
            // the rest is lost: as with an overflow, only a re-list tells what exists
            return new Received(Received.Status.OVERFLOW, List.of());
        }
        return new Received(Received.Status.MESSAGES, LinkMessages.parse(buffer, (int) n));
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            NativeLibraries.c().close(fd);
        }
    }
}
